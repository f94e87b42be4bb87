// Builders of small backups for the extract / verify / restore tests: never exported.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTarPacker, type TarEntryInput } from '@tidemark/archive'

/** A POSIX tar (our packer) of the entries, as bytes. */
export async function buildTar(entries: ReadonlyArray<readonly [TarEntryInput, (Buffer | string)?]>): Promise<Buffer> {
  const packer = createTarPacker()
  const chunks: Buffer[] = []
  const collected = (async (): Promise<void> => {
    for await (const chunk of packer.stream as AsyncIterable<Buffer>) {
      chunks.push(chunk)
    }
  })()
  for (const [input, body] of entries) {
    const bytes = body === undefined ? undefined : Buffer.from(body)
    await packer.add(bytes === undefined ? input : { ...input, size: bytes.length }, bytes)
  }
  packer.finalize()
  await collected
  return Buffer.concat(chunks)
}

/** Temporary directories removed by `removeAll` (afterAll). */
export function scratchDirs(): { make(prefix?: string): string; removeAll(): void } {
  const made: string[] = []
  return {
    make: (prefix = 'tidemark-restore-side-') => {
      const dir = mkdtempSync(join(tmpdir(), prefix))
      made.push(dir)
      return dir
    },
    removeAll: () => {
      for (const dir of made) {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
