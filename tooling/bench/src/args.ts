import { parseArgs as parseNodeArgs } from 'node:util'
import { GROUPS, type Group } from './groups.js'
import { BenchUsageError } from './usage-error.js'

export interface BenchOptions {
  /** Rounds of every case; 5 or more for figures worth publishing. */
  readonly rounds: number
  /** pgbench scale of the benchmark database. */
  readonly scale: number
  /** Size of the table of incompressible bytes, in MB. */
  readonly randomMb: number
  /** Real WAL segments pushed per round and restored per loop. */
  readonly segments: number
  /** The `--prefetch` value of the `tidemark-wal get --prefetch` case. */
  readonly prefetch: number
  readonly groups: readonly Group[]
  /** Rewrite docs/benchmarks.md (on by default; `--no-docs` leaves it alone). */
  readonly docs: boolean
  readonly help: boolean
}

export const DEFAULTS: BenchOptions = Object.freeze({
  rounds: 5,
  scale: 30,
  randomMb: 200,
  segments: 30,
  prefetch: 8,
  groups: GROUPS,
  docs: true,
  help: false,
})

export const USAGE: string = `usage: npm run bench -- [options]
  --rounds N       rounds of every case (default ${DEFAULTS.rounds}; at least 5 for published figures)
  --scale N        pgbench scale (default ${DEFAULTS.scale})
  --random-mb N    MB of incompressible bytes in the database (default ${DEFAULTS.randomMb})
  --segments N     WAL segments per archive/restore round (default ${DEFAULTS.segments})
  --prefetch N     value for tidemark-wal get --prefetch (default ${DEFAULTS.prefetch})
  --only LIST      comma-separated groups among ${GROUPS.join(', ')} (default all)
  --no-docs        do not rewrite docs/benchmarks.md
  --help           this text`

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) {
    return fallback
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new BenchUsageError(`--${name} takes an integer of at least ${min}, not '${raw}'`)
  }
  return Number(raw)
}

function parseGroups(raw: string | undefined): readonly Group[] {
  if (raw === undefined) {
    return DEFAULTS.groups
  }
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '')
  const unknown = names.filter((name) => !(GROUPS as readonly string[]).includes(name))
  if (names.length === 0 || unknown.length > 0) {
    throw new BenchUsageError(`--only takes groups among ${GROUPS.join(', ')}, not '${raw}'`)
  }
  // Keep the run order whatever order the user listed them in.
  return GROUPS.filter((group) => names.includes(group))
}

/** Parses the harness's command line (the arguments after `npm run bench --`). */
export function parseArgs(argv: readonly string[]): BenchOptions {
  let parsed
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rounds: { type: 'string' },
        scale: { type: 'string' },
        'random-mb': { type: 'string' },
        segments: { type: 'string' },
        prefetch: { type: 'string' },
        only: { type: 'string' },
        'no-docs': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new BenchUsageError((error as Error).message)
  }
  const { values } = parsed
  return Object.freeze({
    rounds: positiveInt('rounds', values.rounds, DEFAULTS.rounds),
    scale: positiveInt('scale', values.scale, DEFAULTS.scale),
    randomMb: positiveInt('random-mb', values['random-mb'], DEFAULTS.randomMb, 0),
    segments: positiveInt('segments', values.segments, DEFAULTS.segments),
    prefetch: positiveInt('prefetch', values.prefetch, DEFAULTS.prefetch),
    groups: parseGroups(values.only),
    docs: values['no-docs'] !== true,
    help: values.help === true,
  })
}
