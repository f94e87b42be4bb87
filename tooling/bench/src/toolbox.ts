import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { debianTool, type OsUser } from '@tidemark/test-fixtures'
import { aptInstall } from './apt.js'
import { shellQuote } from './shell-quote.js'
import { runTimed } from './timed-command.js'
import type { ToolInfo, Toolbox } from './tools.js'

interface Probe {
  readonly user: OsUser
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
}

function which(name: string): string | undefined {
  try {
    return execFileSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

/** The first line a tool prints for its version (as the invoking user: a version needs no privileges). */
function versionLine(path: string, args: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    const out = execFileSync(path, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    return out.split('\n')[0]?.trim() || undefined
  } catch {
    return undefined
  }
}

/** Runs `path args` as the server user; the tool is usable when it exits 0. */
async function check(path: string, label: string, probes: readonly (readonly string[])[], probe: Probe): Promise<ToolInfo> {
  if (!existsSync(path)) {
    return { path, missing: `${label} not found at ${path}` }
  }
  for (const args of probes) {
    const run = await runTimed([path, ...args].map(shellQuote).join(' '), { ...probe, timeoutMs: 60_000, gnuTime: false })
    if (!run.ok) {
      return { path, missing: `${label} ${args.join(' ')} failed: ${run.reason}` }
    }
  }
  return { path }
}

function withVersion(info: ToolInfo, args: readonly string[], probe: Probe): ToolInfo {
  if (info.missing !== undefined) {
    return info
  }
  const version = versionLine(info.path, args, probe.env)
  return version === undefined ? info : { ...info, version }
}

function pgbackrestPath(): string | { missing: string } {
  const found = which('pgbackrest')
  if (found !== undefined) {
    return found
  }
  const failed = aptInstall(['pgbackrest'])
  return which('pgbackrest') ?? { missing: `pgbackrest is not installed (${failed ?? 'not found after install'})` }
}

/** Finds every tool the cases run, installing Debian's when missing and root, and checks each can start. */
export async function resolveToolbox(repoRoot: string, probe: Probe): Promise<Toolbox> {
  const bin = join(repoRoot, 'node_modules', '.bin')
  const tidemark = await check(join(bin, 'tidemark'), 'tidemark', [['basebackup', '--help']], probe)
  const tidemarkWal = await check(join(bin, 'tidemark-wal'), 'tidemark-wal', [['push', '--help'], ['get', '--help']], probe)
  const pgBasebackupPath = debianTool('pg_basebackup')
  const pgBasebackup: ToolInfo =
    pgBasebackupPath === undefined
      ? { path: 'pg_basebackup', missing: "Debian's pg_basebackup 15 is not installed" }
      : await check(pgBasebackupPath, 'pg_basebackup', [['--version']], probe)
  const pgbackrest = pgbackrestPath()
  const pgbackrestInfo: ToolInfo =
    typeof pgbackrest === 'string' ? await check(pgbackrest, 'pgbackrest', [['version']], probe) : { path: 'pgbackrest', ...pgbackrest }
  return {
    tidemark: withVersion(tidemark, ['--version'], probe),
    'tidemark-wal': withVersion(tidemarkWal, ['--version'], probe),
    pg_basebackup: withVersion(pgBasebackup, ['--version'], probe),
    pgbackrest: withVersion(pgbackrestInfo, ['version'], probe),
    dd: withVersion(await check(which('dd') ?? '/usr/bin/dd', 'dd', [['--version']], probe), ['--version'], probe),
    node: withVersion(await check(process.execPath, 'node', [['--version']], probe), ['--version'], probe),
    cp: withVersion(await check(which('cp') ?? '/usr/bin/cp', 'cp', [['--version']], probe), ['--version'], probe),
  }
}
