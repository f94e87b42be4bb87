// The WAL a backup needs to be consistent: every segment from the manifest's start LSN to its end
// LSN (each WAL-Ranges entry) must be in the backup, start with a valid long page header naming
// its own position, carry pages in sequence with the same magic and system, and hold written WAL
// at least up to the end LSN. Segments are checked as they stream by; only facts are kept.
import type { WalRange } from '@tidemark/archive'
import {
  DEFAULT_SEGMENT_SIZE,
  parseLsn,
  parseSegmentFileName,
  segmentRange,
  segmentStartLsn,
  walkWalPages,
  readSegmentHeader,
} from '@tidemark/wal'
import type { BackupProblem } from './verify-problem.js'

interface SegmentFacts {
  readonly file: string
  readonly size: number
  readonly error?: string | undefined
  readonly segmentSize?: number | undefined
  readonly blockSize?: number | undefined
  readonly systemIdentifier?: string | undefined
  readonly writtenBytes?: number | undefined
}

/** Largest segment PostgreSQL allows; anything bigger is not read into memory. */
const MAX_SEGMENT_BYTES = 1024 * 1024 * 1024

async function readAll(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of body) {
    length += chunk.length
    if (length > limit) {
      return undefined
    }
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks, length)
}

export class WalChecker {
  readonly #ranges: readonly WalRange[]
  readonly #systemIdentifier: string | undefined
  readonly #segments = new Map<string, SegmentFacts>()

  /** `systemIdentifier`: the manifest's (version 2), which every segment must carry. */
  constructor(ranges: readonly WalRange[], systemIdentifier?: string) {
    this.#ranges = ranges
    this.#systemIdentifier = systemIdentifier
  }

  /** Reads and checks one segment file (`name` its bare segment name, `file` as reported). */
  async add(file: string, name: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const bytes = await readAll(body, MAX_SEGMENT_BYTES)
    this.#segments.set(
      name,
      bytes === undefined ? { file, size: MAX_SEGMENT_BYTES, error: `${name} is larger than any WAL segment` } : this.#examine(file, name, bytes)
    )
  }

  /** Bytes of segment `name` the ranges need, from its start up to the end LSN (0: not needed). */
  #neededBytes(name: string, segmentSize: number, blockSize: number): number {
    const id = parseSegmentFileName(name, segmentSize)
    const start = segmentStartLsn(id.segmentNumber, segmentSize)
    let needed = 0
    for (const range of this.#ranges) {
      if (range.timeline !== id.timeline || !segmentRange(range.timeline, parseLsn(range.startLsn), parseLsn(range.endLsn), segmentSize).includes(name)) {
        continue
      }
      const upTo = parseLsn(range.endLsn) - start
      needed = Math.max(needed, Math.min(segmentSize, Math.max(blockSize, Number(upTo))))
    }
    return needed
  }

  /**
   * Header checks on the whole segment, page checks on the part the backup needs: past the end LSN
   * a recycled segment still holds old pages, which are not an error.
   */
  #examine(file: string, name: string, bytes: Buffer): SegmentFacts {
    let header: ReturnType<typeof readSegmentHeader>
    try {
      header = readSegmentHeader(bytes, { fileName: name })
    } catch (error) {
      return { file, size: bytes.length, error: (error as Error).message }
    }
    const { segmentSize, blockSize, systemIdentifier } = header
    const facts = { file, size: bytes.length, segmentSize, blockSize, systemIdentifier }
    if (bytes.length !== segmentSize) {
      return { ...facts, error: `${name} is ${bytes.length} bytes long, not a whole ${segmentSize}-byte segment` }
    }
    const checked = Math.max(blockSize, Math.ceil(this.#neededBytes(name, segmentSize, blockSize) / blockSize) * blockSize)
    try {
      const walk = walkWalPages(bytes.subarray(0, checked), { fileName: name, segmentSize })
      return { ...facts, writtenBytes: walk.endedAtZeroPage ? walk.pages * blockSize : checked }
    } catch (error) {
      return { ...facts, error: (error as Error).message }
    }
  }

  get segmentsSeen(): number {
    return this.#segments.size
  }

  /** The problems with the WAL of every range; `walDir` prefixes the names of missing segments. */
  finish(walDir: string): BackupProblem[] {
    const problems: BackupProblem[] = []
    const segmentSize = [...this.#segments.values()].find((facts) => facts.segmentSize !== undefined)?.segmentSize ?? DEFAULT_SEGMENT_SIZE
    let systemIdentifier = this.#systemIdentifier
    for (const range of this.#ranges) {
      const start = parseLsn(range.startLsn)
      const end = parseLsn(range.endLsn)
      for (const name of segmentRange(range.timeline, start, end, segmentSize)) {
        const facts = this.#segments.get(name)
        if (!facts) {
          problems.push({
            kind: 'wal-missing',
            file: `${walDir}/${name}`,
            detail: `WAL segment ${name} (timeline ${range.timeline}, ${range.startLsn} to ${range.endLsn}) is needed and not in the backup`,
          })
          continue
        }
        const problem = this.#check(name, facts, end, segmentSize, systemIdentifier)
        systemIdentifier ??= facts.systemIdentifier
        if (problem) {
          problems.push({ kind: 'wal-corrupt', file: facts.file, detail: problem })
        }
      }
    }
    return problems
  }

  #check(name: string, facts: SegmentFacts, end: bigint, segmentSize: number, systemIdentifier: string | undefined): string | undefined {
    if (facts.error !== undefined) {
      return facts.error
    }
    if (facts.segmentSize !== segmentSize) {
      return `${name} declares ${facts.segmentSize ?? '?'}-byte segments, the other segments ${segmentSize}`
    }
    if (systemIdentifier !== undefined && facts.systemIdentifier !== systemIdentifier) {
      return `${name} belongs to database system ${facts.systemIdentifier ?? '?'}, not ${systemIdentifier}`
    }
    const start = segmentStartLsn(parseSegmentFileName(name, segmentSize).segmentNumber, segmentSize)
    const needed = Number(end - start < BigInt(segmentSize) ? end - start : BigInt(segmentSize))
    if ((facts.writtenBytes ?? 0) < needed) {
      return `${name} holds written WAL for ${facts.writtenBytes ?? 0} bytes only; the backup needs ${needed} bytes of it (up to its end LSN)`
    }
    return undefined
  }
}
