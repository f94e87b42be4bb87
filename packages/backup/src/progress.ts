// Progress as pg_basebackup prints it with -P (one line a second when stderr is not a terminal),
// and a live bar with rate and ETA when it is.

export interface ProgressState {
  readonly doneBytes: number
  /** The server's estimate; 0 or less when unknown (--no-estimate-size). */
  readonly totalBytes: number
  readonly tablespaceNumber: number
  readonly tablespaceCount: number
  /** The file being received, shown in verbose mode. */
  readonly filename?: string | undefined
}

const VERBOSE_FILENAME_LENGTH = 35

/** pg_basebackup's line: `  1234/56789 kB (2%), 0/1 tablespace` (the done figure padded to the total's width). */
export function formatProgressLine(state: ProgressState, verbose = false): string {
  const doneKb = Math.floor(state.doneBytes / 1024)
  // Like pg_basebackup: an estimate the transfer outgrew becomes the done figure, so never > 100%.
  const totalKb = Math.max(Math.floor(Math.max(state.totalBytes, 0) / 1024), doneKb)
  const percent = totalKb > 0 ? Math.min(100, Math.floor((doneKb * 100) / totalKb)) : 0
  const total = String(totalKb)
  const done = String(doneKb).padStart(total.length)
  const tablespaces = state.tablespaceCount === 1 ? 'tablespace' : 'tablespaces'
  const line = `${done}/${total} kB (${percent}%), ${state.tablespaceNumber}/${state.tablespaceCount} ${tablespaces}`
  // Without a file name there is nothing to add (pg_basebackup's blank padding only clears a terminal line).
  if (!verbose || state.filename === undefined) {
    return line
  }
  const name = state.filename
  const shown =
    name.length > VERBOSE_FILENAME_LENGTH ? `...${name.slice(name.length - VERBOSE_FILENAME_LENGTH + 3)}` : name
  return `${line} (${shown.padEnd(VERBOSE_FILENAME_LENGTH)})`
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '--:--'
  }
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

function formatRate(bytesPerSecond: number): string {
  const mb = bytesPerSecond / (1024 * 1024)
  return mb >= 1 ? `${mb.toFixed(1)} MB/s` : `${(bytesPerSecond / 1024).toFixed(0)} kB/s`
}

/** The terminal bar: `[=======>      ]  52%  1234/2345 kB  1/2 tablespaces  45.1 MB/s  ETA 0:12`. */
export function formatProgressBar(state: ProgressState, elapsedSeconds: number, width = 24): string {
  const totalKnown = state.totalBytes > 0
  const fraction = totalKnown ? Math.min(1, state.doneBytes / Math.max(state.totalBytes, state.doneBytes)) : 0
  const filled = Math.round(fraction * width)
  const bar = totalKnown
    ? `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}]`
    : `[${' '.repeat(width)}]`
  const rate = elapsedSeconds > 0 ? state.doneBytes / elapsedSeconds : 0
  const eta = totalKnown && rate > 0 ? (Math.max(state.totalBytes, state.doneBytes) - state.doneBytes) / rate : NaN
  const percent = totalKnown ? `${String(Math.floor(fraction * 100)).padStart(3)}%` : '   ?%'
  const kb = `${Math.floor(state.doneBytes / 1024)}/${totalKnown ? Math.floor(state.totalBytes / 1024) : '?'} kB`
  const tablespaces = `${state.tablespaceNumber}/${state.tablespaceCount} ${state.tablespaceCount === 1 ? 'tablespace' : 'tablespaces'}`
  return `${bar} ${percent}  ${kb}  ${tablespaces}  ${formatRate(rate)}  ETA ${formatDuration(eta)}`
}

export interface ProgressSink {
  write(text: string): unknown
  readonly isTTY?: boolean | undefined
}

/**
 * Prints progress to a sink (stderr): at most once a second, as lines when the sink is not a
 * terminal, as one rewritten line when it is. `finish()` prints the final 100% state.
 */
export class ProgressReporter {
  readonly #sink: ProgressSink
  readonly #verbose: boolean
  readonly #started: number
  readonly #now: () => number
  #lastPrinted = -Infinity
  #lastLength = 0

  constructor(sink: ProgressSink, options: { verbose?: boolean; now?: () => number } = {}) {
    this.#sink = sink
    this.#verbose = options.verbose ?? false
    this.#now = options.now ?? Date.now
    this.#started = this.#now()
  }

  update(state: ProgressState, force = false): void {
    const now = this.#now()
    if (!force && now - this.#lastPrinted < 1000) {
      return
    }
    this.#lastPrinted = now
    this.#print(state)
  }

  finish(state: ProgressState): void {
    this.#print({ ...state, doneBytes: state.doneBytes, totalBytes: Math.max(state.totalBytes, state.doneBytes), filename: undefined })
    if (this.#sink.isTTY) {
      this.#sink.write('\n')
    }
  }

  #print(state: ProgressState): void {
    if (this.#sink.isTTY) {
      const line = formatProgressBar(state, (this.#now() - this.#started) / 1000)
      this.#sink.write(`\r${line.padEnd(this.#lastLength)}`)
      this.#lastLength = line.length
    } else {
      this.#sink.write(`${formatProgressLine(state, this.#verbose)}\n`)
    }
  }
}
