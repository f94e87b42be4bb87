import type { Command } from 'commander'
import type { CliIo } from '../io.js'
import { addConnectionOptions, connectionInput, type ConnectionOptionValues } from '../options/connection-options.js'
import { integerOption } from '../options/integer-option.js'
import { runAction, type ActionContext } from '../run-action.js'

interface ResumeCliOptions extends ConnectionOptionValues {
  readonly timeout: number
}

/** `tidemark resume`: ends the pause at a recovery target and waits until the server leaves recovery. */
export function registerResume(program: Command, io: CliIo): void {
  const command = program
    .command('resume')
    .description('resume a server paused at its recovery target (pg_wal_replay_resume) and wait until it leaves recovery')
  addConnectionOptions(command)
    .option('-t, --timeout <seconds>', 'how long to wait for the end of recovery', integerOption(1, 86_400), 300)
    .action(runAction(io, (context, options: ResumeCliOptions) => resume(context, options)))
}

async function resume(context: ActionContext, options: ResumeCliOptions): Promise<void> {
  const { resumeRecovery } = await import('@tidemark/backup')
  const connection = connectionInput(options)
  const result = await resumeRecovery({
    connection: {
      ...(connection.dbname !== undefined ? { connectionString: connection.dbname } : {}),
      ...(connection.host !== undefined ? { host: connection.host } : {}),
      ...(connection.port !== undefined ? { port: connection.port } : {}),
      ...(connection.user !== undefined ? { user: connection.user } : {}),
      fallbackApplicationName: 'tidemark',
      env: context.io.env,
    },
    timeoutSeconds: options.timeout,
    signal: context.signal,
    onMessage: (text) => context.io.stderr(`tidemark: ${text}\n`),
  })
  const where = result.replayLsn === undefined ? '' : ` (recovery ended at ${result.replayLsn})`
  context.out(`the server left recovery${where}${result.timeline === undefined ? '' : `; it is on timeline ${result.timeline}`}`)
}
