import type { Group } from './groups.js'
import { shellQuote } from './shell-quote.js'
import type { ToolName } from './tools.js'

export interface BenchCase {
  readonly id: string
  readonly group: Group
  readonly label: string
  readonly tool: ToolName
  /**
   * The command line, run by /bin/sh like PostgreSQL runs archive_command: `{out}` the backup
   * directory, `{repo}` the archive, `%p` and `%f` the segment's path and name.
   */
  readonly command: string
  /** The case in the denominator of this case's ratio (tidemark / peer). */
  readonly peer?: string
  /** The target for the ratio: at most this. */
  readonly maxRatio?: number
  /** The target for peak memory: under this many MB. */
  readonly maxPeakMb?: number
  /** push cases: run untimed on each fresh, empty archive before the first push (pgBackRest's stanza-create). */
  readonly prepare?: string
  /** get cases: the push case whose command fills the archive they read. */
  readonly source?: string
}

export interface CaseSettings {
  readonly paths: Readonly<Record<ToolName, string>>
  readonly port: number
  readonly pgbackrestConfig: string
  readonly prefetch: number
}

const FORMATS = [
  { key: 'fp', flags: '-Fp', maxRatio: 1.0 },
  { key: 'ft', flags: '-Ft', maxRatio: 1.0 },
  { key: 'ftz', flags: '-Ft -z', maxRatio: 0.6 },
] as const

const SYNC_MODES = [
  { key: 'nosync', flags: ' -N', text: ' -N' },
  { key: 'sync', flags: '', text: ' (sync)' },
] as const

export const TIDEMARK_PEAK_MB_TARGET = 150

function backupCases(s: CaseSettings): BenchCase[] {
  const q = (tool: ToolName): string => shellQuote(s.paths[tool])
  const connection = `-h 127.0.0.1 -p ${s.port} -U postgres`
  const cases: BenchCase[] = []
  for (const format of FORMATS) {
    for (const sync of SYNC_MODES) {
      const options = `-D {out} ${format.flags} -X stream -c fast ${connection}${sync.flags}`
      const peer = `backup-${format.key}-${sync.key}-pg_basebackup`
      cases.push({
        id: `backup-${format.key}-${sync.key}-tidemark`,
        group: 'backup',
        label: `tidemark basebackup ${format.flags}${sync.text}`,
        tool: 'tidemark',
        command: `${q('tidemark')} basebackup ${options}`,
        peer,
        maxRatio: format.maxRatio,
        maxPeakMb: TIDEMARK_PEAK_MB_TARGET,
      })
      cases.push({
        id: peer,
        group: 'backup',
        label: `pg_basebackup ${format.flags}${sync.text}`,
        tool: 'pg_basebackup',
        command: `${q('pg_basebackup')} ${options}`,
      })
    }
  }
  for (const compress of ['none', 'gz'] as const) {
    cases.push({
      id: `backup-pgbackrest-${compress}`,
      group: 'backup',
      label: `pgBackRest full, process-max 2, compress ${compress}`,
      tool: 'pgbackrest',
      command: `${q('pgbackrest')} --config=${shellQuote(s.pgbackrestConfig)} --stanza=bench --type=full --compress-type=${compress} backup`,
    })
  }
  return cases
}

function pushCases(s: CaseSettings): BenchCase[] {
  const pgbackrest = `${shellQuote(s.paths.pgbackrest)} --config=${shellQuote(s.pgbackrestConfig)} --stanza=bench --repo1-path={repo}`
  const wal = shellQuote(s.paths['tidemark-wal'])
  // Like for like: tidemark-wal pushes uncompressed by default, pgBackRest gzips by default; each is
  // compared with the other's matching setting.
  return [
    {
      id: 'push-tidemark',
      group: 'push',
      label: 'tidemark-wal push (default: no compression)',
      tool: 'tidemark-wal',
      command: `${wal} push --repo {repo} %p %f`,
      peer: 'push-pgbackrest-none',
      maxRatio: 1.0,
    },
    {
      id: 'push-tidemark-gzip',
      group: 'push',
      label: 'tidemark-wal push --compress gzip',
      tool: 'tidemark-wal',
      command: `${wal} push --repo {repo} --compress gzip %p %f`,
      peer: 'push-pgbackrest-gz',
      maxRatio: 1.0,
    },
    {
      id: 'push-pgbackrest-none',
      group: 'push',
      label: 'pgbackrest archive-push --compress-type=none',
      tool: 'pgbackrest',
      command: `${pgbackrest} --compress-type=none archive-push %p`,
      prepare: `${pgbackrest} stanza-create`,
    },
    {
      id: 'push-pgbackrest-gz',
      group: 'push',
      label: 'pgbackrest archive-push (default: gz)',
      tool: 'pgbackrest',
      command: `${pgbackrest} archive-push %p`,
      prepare: `${pgbackrest} stanza-create`,
    },
    {
      // Not a peer: what starting Node.js alone costs per call, the floor under any Node.js archive_command.
      id: 'push-node-startup',
      group: 'push',
      label: 'reference: node -e 0 (Node.js start-up alone)',
      tool: 'node',
      command: `${shellQuote(s.paths.node)} -e 0`,
    },
    {
      id: 'push-cp',
      group: 'push',
      label: 'cp + fsync (dd conv=fsync)',
      tool: 'dd',
      command: `${shellQuote(s.paths.dd)} if=%p of={repo}/%f bs=1M conv=fsync status=none`,
    },
  ]
}

function getCases(s: CaseSettings): BenchCase[] {
  const wal = shellQuote(s.paths['tidemark-wal'])
  const pgbackrest = `${shellQuote(s.paths.pgbackrest)} --config=${shellQuote(s.pgbackrestConfig)} --stanza=bench --repo1-path={repo} archive-get %f %p`
  return [
    {
      id: 'get-tidemark',
      group: 'get',
      label: 'tidemark-wal get (uncompressed archive)',
      tool: 'tidemark-wal',
      command: `${wal} get --repo {repo} %f %p`,
      peer: 'get-pgbackrest-none',
      source: 'push-tidemark',
    },
    {
      id: 'get-tidemark-prefetch',
      group: 'get',
      label: `tidemark-wal get --prefetch ${s.prefetch} (uncompressed archive)`,
      tool: 'tidemark-wal',
      command: `${wal} get --repo {repo} --prefetch ${s.prefetch} %f %p`,
      peer: 'get-cp',
      maxRatio: 1.0,
      source: 'push-tidemark',
    },
    {
      id: 'get-pgbackrest-none',
      group: 'get',
      label: 'pgbackrest archive-get (uncompressed archive)',
      tool: 'pgbackrest',
      command: pgbackrest,
      source: 'push-pgbackrest-none',
    },
    {
      id: 'get-pgbackrest-gz',
      group: 'get',
      label: 'pgbackrest archive-get (gz archive)',
      tool: 'pgbackrest',
      command: pgbackrest,
      source: 'push-pgbackrest-gz',
    },
    {
      id: 'get-cp',
      group: 'get',
      label: 'cp',
      tool: 'cp',
      command: `${shellQuote(s.paths.cp)} {repo}/%f %p`,
      source: 'push-cp',
    },
  ]
}

/** Every case of a run, grouped and in a fixed order (rounds rotate it). */
export function benchCases(settings: CaseSettings): readonly BenchCase[] {
  return [...backupCases(settings), ...pushCases(settings), ...getCases(settings)]
}

/** The order of one round: the list rotated by the round number, so no tool always goes first. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) {
    return []
  }
  const start = round % items.length
  return [...items.slice(start), ...items.slice(0, start)]
}
