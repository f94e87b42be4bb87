import { runAs, type OsUser } from '@tidemark/test-fixtures'
import type { Toolbox } from './tools.js'

/**
 * Creates the 'bench' stanza in the run's repository (the server must be running). When it cannot,
 * pgBackRest's cases become n/a with the reason.
 */
export async function withStanza(
  tools: Toolbox,
  config: string,
  as: { user: OsUser; env: NodeJS.ProcessEnv; cwd: string }
): Promise<Toolbox> {
  if (tools.pgbackrest.missing !== undefined) {
    return tools
  }
  const result = await runAs(as.user, tools.pgbackrest.path, [`--config=${config}`, '--stanza=bench', 'stanza-create'], {
    env: as.env,
    cwd: as.cwd,
    timeoutMs: 300_000,
  })
  if (result.code === 0) {
    return tools
  }
  const reason = (result.stderr.trim() || result.stdout.trim()).split('\n').at(-1) ?? `exit ${result.code}`
  return { ...tools, pgbackrest: { ...tools.pgbackrest, missing: `stanza-create failed: ${reason}` } }
}
