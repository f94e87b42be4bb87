// Where streamed WAL goes during a backup: segment files in a directory (plain format) or
// entries of pg_wal.tar (tar format). Both take the XLogData payloads in order, cut them at segment
// boundaries, and on finish pad the last segment with zeros to full size, as pg_basebackup does,
// so recovery reads it like any other segment.
import { open, rename } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { TarPacker } from '@tidemark/archive'
import { segmentFileName, segmentNumberOfLsn, segmentOffset } from '@tidemark/wal'
import { ChunkChannel } from './chunk-channel.js'
import { BackupFailedError } from './errors.js'

export interface WalSink {
  /** WAL bytes starting at `lsn`; awaiting it is the backpressure. */
  write(lsn: bigint, data: Uint8Array): Promise<void>
  /** Pads the open segment and closes it; the sink is complete. */
  finish(): Promise<void>
  /** Stops after a failure: nothing is completed (the caller removes what the run created). */
  abort(error: Error): Promise<void>
  /** Names of the segments written so far (completed or padded). */
  readonly segments: readonly string[]
}

interface OpenSegment {
  readonly number: bigint
  readonly name: string
  position: number
}

abstract class SegmentCutter implements WalSink {
  readonly segments: string[] = []
  protected current: OpenSegment | undefined

  constructor(
    protected readonly timeline: number,
    protected readonly segmentSize: number
  ) {}

  async write(lsn: bigint, data: Uint8Array): Promise<void> {
    let at = lsn
    let rest = data
    while (rest.length > 0) {
      const number = segmentNumberOfLsn(at, this.segmentSize)
      const offset = segmentOffset(at, this.segmentSize)
      if (!this.current || this.current.number !== number) {
        if (this.current) {
          await this.closeSegment(this.current, false)
        }
        if (offset !== 0) {
          throw new BackupFailedError(`WAL stream starts in the middle of segment ${segmentFileName(this.timeline, number, this.segmentSize)} (offset ${offset})`)
        }
        this.current = { number, name: segmentFileName(this.timeline, number, this.segmentSize), position: 0 }
        await this.openSegment(this.current)
      }
      if (offset !== this.current.position) {
        throw new BackupFailedError(`WAL stream skipped from offset ${this.current.position} to ${offset} in ${this.current.name}`)
      }
      const take = Math.min(rest.length, this.segmentSize - offset)
      await this.writeSegment(this.current, rest.subarray(0, take))
      this.current.position += take
      at += BigInt(take)
      rest = rest.subarray(take)
      if (this.current.position === this.segmentSize) {
        await this.closeSegment(this.current, false)
        this.current = undefined
      }
    }
  }

  async finish(): Promise<void> {
    if (this.current) {
      await this.closeSegment(this.current, true)
      this.current = undefined
    }
  }

  abstract abort(error: Error): Promise<void>
  protected abstract openSegment(segment: OpenSegment): Promise<void>
  protected abstract writeSegment(segment: OpenSegment, data: Uint8Array): Promise<void>
  protected abstract closeSegment(segment: OpenSegment, pad: boolean): Promise<void>
}

const ZEROS = Buffer.alloc(1024 * 1024)

/** Segments as files in a directory: written as NAME.partial, renamed once complete (or padded). */
export class DirectoryWalSink extends SegmentCutter {
  #handle: FileHandle | undefined

  constructor(
    private readonly dir: string,
    timeline: number,
    segmentSize: number,
    private readonly sync: boolean
  ) {
    super(timeline, segmentSize)
  }

  protected async openSegment(segment: OpenSegment): Promise<void> {
    this.#handle = await open(join(this.dir, `${segment.name}.partial`), 'wx', 0o600)
  }

  protected async writeSegment(_segment: OpenSegment, data: Uint8Array): Promise<void> {
    await this.#handle?.write(data)
  }

  protected async closeSegment(segment: OpenSegment, pad: boolean): Promise<void> {
    const handle = this.#handle
    if (!handle) {
      return
    }
    if (pad) {
      for (let at = segment.position; at < this.segmentSize; at += ZEROS.length) {
        await handle.write(ZEROS, 0, Math.min(ZEROS.length, this.segmentSize - at))
      }
    }
    if (this.sync) {
      await handle.sync()
    }
    await handle.close()
    this.#handle = undefined
    await rename(join(this.dir, `${segment.name}.partial`), join(this.dir, segment.name))
    this.segments.push(segment.name)
  }

  async abort(): Promise<void> {
    await this.#handle?.close().catch(() => undefined)
    this.#handle = undefined
  }
}

/** Segments as entries of a tar archive (pg_wal.tar), each exactly one segment long. */
export class TarWalSink extends SegmentCutter {
  #channel: ChunkChannel | undefined
  #added: Promise<unknown> | undefined

  constructor(
    private readonly packer: TarPacker,
    timeline: number,
    segmentSize: number,
    private readonly prefix = ''
  ) {
    super(timeline, segmentSize)
  }

  protected async openSegment(segment: OpenSegment): Promise<void> {
    this.#channel = new ChunkChannel()
    this.#added = this.packer.add({ name: `${this.prefix}${segment.name}`, size: this.segmentSize, mode: 0o600 }, this.#channel)
    this.#added.catch(() => undefined)
  }

  protected async writeSegment(_segment: OpenSegment, data: Uint8Array): Promise<void> {
    await Promise.race([this.#channel?.push(data), this.#added?.then(() => undefined)])
  }

  protected async closeSegment(segment: OpenSegment, pad: boolean): Promise<void> {
    const channel = this.#channel
    if (!channel) {
      return
    }
    if (pad) {
      for (let at = segment.position; at < this.segmentSize; at += ZEROS.length) {
        await channel.push(ZEROS.subarray(0, Math.min(ZEROS.length, this.segmentSize - at)))
      }
    }
    channel.end()
    await this.#added
    this.#channel = undefined
    this.#added = undefined
    this.segments.push(segment.name)
  }

  async abort(error: Error): Promise<void> {
    this.#channel?.end(error)
    this.packer.destroy(error)
  }
}
