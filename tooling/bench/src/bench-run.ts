import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  chownTree,
  DEBIAN_MAJOR,
  debianBinDir,
  debianTool,
  freePort,
  runDir,
  scratchDir,
  serverOsUser,
  sweepRunDir,
} from '@tidemark/test-fixtures'
import { aptInstall } from './apt.js'
import type { BenchOptions } from './args.js'
import { startBenchServer } from './bench-server.js'
import { benchCases } from './cases.js'
import type { CleanupStack } from './cleanup.js'
import { databaseBytes, loadData } from './data-load.js'
import { GROUP_TITLES } from './groups.js'
import { describeMachine, loadNow } from './machine.js'
import { pgbackrestLayout } from './pgbackrest-config.js'
import { emptyResult, type CaseResult } from './results.js'
import { runBackupRound } from './run-backup.js'
import type { RunContext } from './run-context.js'
import { fillArchives, runGetRound } from './run-get.js'
import { runPushRound } from './run-push.js'
import type { RunRecord } from './run-record.js'
import { shellQuote } from './shell-quote.js'
import { GNU_TIME } from './timed-command.js'
import { resolveToolbox } from './toolbox.js'
import { realSegments } from './wal-segments.js'
import { withStanza } from './pgbackrest-stanza.js'

const RUN_DIR_ENV = 'TIDEMARK_FIXTURE_DIR'

function log(line: string): void {
  console.log(line)
}

function gnuTimeAvailable(): boolean {
  if (existsSync(GNU_TIME)) {
    return true
  }
  const failed = aptInstall(['time'])
  if (failed !== undefined) {
    log(`bench: peak memory is not measured: GNU time is missing (${failed})`)
  }
  return existsSync(GNU_TIME)
}

/** A scratch directory for the run; removed at the end, with the fixtures' run directory when this run made it. */
function makeScratch(cleanup: CleanupStack): string {
  const ownsRunDir = process.env[RUN_DIR_ENV] === undefined
  const scratch = scratchDir('bench')
  if (ownsRunDir) {
    const dir = runDir()
    cleanup.add('remove the scratch directory', async () => {
      await sweepRunDir(dir)
    })
  } else {
    cleanup.add('remove the scratch directory', () => rmSync(scratch, { recursive: true, force: true }))
  }
  return scratch
}

/** Sets up the server and the tools, runs the groups asked, and returns what was measured. */
export async function runBench(options: BenchOptions, repoRoot: string, cleanup: CleanupStack): Promise<RunRecord> {
  const startedAt = new Date().toISOString()
  const loadAtStart = loadNow()
  const user = serverOsUser()
  if (debianTool('postgres') === undefined || debianTool('pgbench') === undefined || debianTool('psql') === undefined) {
    throw new Error(`Debian's PostgreSQL ${DEBIAN_MAJOR} server is needed: apt-get install postgresql-${DEBIAN_MAJOR} (as root the harness does it)`)
  }
  const binDir = debianBinDir(DEBIAN_MAJOR)
  const gnuTime = gnuTimeAvailable()
  const scratch = makeScratch(cleanup)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: scratch,
    LC_ALL: 'C',
  }
  chownTree(scratch, user)
  const tools = await resolveToolbox(repoRoot, { user, env, cwd: scratch })
  for (const [name, tool] of Object.entries(tools)) {
    log(`bench: ${name}: ${tool.missing === undefined ? (tool.version ?? tool.path) : `n/a (${tool.missing})`}`)
  }

  const port = await freePort()
  const serverDir = join(scratch, 'server')
  const collectDir = join(scratch, 'collected-wal')
  const pgbackrestDir = join(scratch, 'pgbackrest')
  for (const dir of [serverDir, collectDir, pgbackrestDir, join(pgbackrestDir, 'repo')]) {
    mkdirSync(dir, { recursive: true })
  }
  const layout = pgbackrestLayout(pgbackrestDir, { dataDir: join(serverDir, 'data'), port, socketDir: join(serverDir, 'socket') })
  writeFileSync(layout.config, layout.text)
  chownTree(scratch, user)
  const collect = `cp %p ${shellQuote(collectDir)}/%f`
  const pgbackrestPush = `${shellQuote(tools.pgbackrest.path)} --config=${shellQuote(layout.config)} --stanza=bench archive-push %p`
  const archiveCommand = tools.pgbackrest.missing === undefined ? `${pgbackrestPush} && ${collect}` : collect

  log(`bench: starting PostgreSQL ${DEBIAN_MAJOR} (${binDir}) on port ${port} as ${user.name}, scratch ${scratch}`)
  const server = await startBenchServer({ baseDir: serverDir, binDir, user, port, env, archiveCommand })
  cleanup.add('stop the benchmark server', () => server.stop())
  const pgbackrestTools = await withStanza(tools, layout.config, { user, env, cwd: scratch })

  log(`bench: loading pgbench scale ${options.scale} and ${options.randomMb} MB of random bytes`)
  await loadData(server, options.scale, options.randomMb)
  const dbBytes = await databaseBytes(server)
  const ctx: RunContext = {
    options,
    user,
    env,
    scratch,
    tools: pgbackrestTools,
    gnuTime,
    pgbackrestRepo: layout.repo,
    log,
  }
  const cases = benchCases({
    paths: Object.fromEntries(Object.entries(pgbackrestTools).map(([name, tool]) => [name, tool.path])) as Record<keyof typeof tools, string>,
    port,
    pgbackrestConfig: layout.config,
    prefetch: options.prefetch,
  })
  const results: CaseResult[] = cases.map(emptyResult)
  const inGroup = (group: string): CaseResult[] => results.filter((r) => r.case.group === group && options.groups.includes(r.case.group))

  const needSegments = options.groups.includes('push') || options.groups.includes('get')
  const segmentDir = join(scratch, 'segments')
  mkdirSync(segmentDir, { recursive: true })
  const segments = needSegments ? await realSegments(server, collectDir, segmentDir, options.segments, user) : []
  if (needSegments) {
    log(`bench: ${segments.length} real WAL segments, ${segments[0]?.name ?? ''} … ${segments.at(-1)?.name ?? ''}`)
  }

  for (const group of options.groups) {
    log(`\n== ${GROUP_TITLES[group]}`)
    const groupResults = inGroup(group)
    const archives =
      group === 'get'
        ? await fillArchives(ctx, groupResults.map((r) => r.case), cases.filter((c) => c.group === 'push'), segments)
        : new Map()
    for (let round = 0; round < options.rounds; round += 1) {
      log(`round ${round + 1}/${options.rounds}`)
      if (group === 'backup') {
        await runBackupRound(ctx, groupResults, round)
      } else if (group === 'push') {
        await runPushRound(ctx, groupResults, round, segments)
      } else {
        await runGetRound(ctx, groupResults, round, segments, archives)
      }
    }
  }

  const serverVersion = (await server.run('postgres', ['--version']).catch(() => '')).trim()
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    options,
    machine: describeMachine(scratch, repoRoot, loadAtStart),
    tools: pgbackrestTools,
    server: serverVersion || `PostgreSQL ${DEBIAN_MAJOR}`,
    databaseBytes: dbBytes,
    segments: segments.length,
    results: results.filter((r) => options.groups.includes(r.case.group)),
  }
}
