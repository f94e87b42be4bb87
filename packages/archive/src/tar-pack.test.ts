import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { checksumOf } from './checksum.js'
import { createCompressor } from './codecs.js'
import { ArchiveTruncatedError, EntrySizeError } from './errors.js'
import { readTar } from './tar-reader.js'
import { pieces } from './testing/archives.js'
import { createTarPacker } from './tar-pack.js'
import { collect, hasTool, run, sampleBytes, through } from './testing/streams.js'

const MTIME = new Date(Date.UTC(2023, 5, 1, 12, 0, 0))
const LONG = `pg_tblspc/16384/PG_15_202209061/16385/${'very_long_directory_name_'.repeat(6)}/${'f'.repeat(120)}`
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true })
  }
})

async function sampleTar(): Promise<Buffer> {
  const packer = createTarPacker()
  const bytes = collect(packer.stream)
  await packer.add({ name: 'base', type: 'directory', mode: 0o700, mtime: MTIME })
  await packer.add({ name: 'base/1/PG_VERSION', mode: 0o600, mtime: MTIME }, Buffer.from('15\n'))
  await packer.add({ name: LONG, size: 70000, mode: 0o640, mtime: MTIME }, Readable.from([sampleBytes(30000), sampleBytes(40000, 2)]))
  await packer.add({ name: 'pg_wal', type: 'symlink', linkname: '/var/lib/wal/ünïcode', mtime: MTIME })
  await packer.add({ name: 'empty', mtime: MTIME }, Buffer.alloc(0))
  packer.finalize()
  return bytes
}

describe('tar writer', () => {
  it('writes a tar GNU tar lists with names, modes, sizes, link targets and mtimes', async (context) => {
    const tar = await sampleTar()
    expect(tar.length % 512).toBe(0)
    expect(tar.subarray(tar.length - 1024).equals(Buffer.alloc(1024))).toBe(true)
    if (!hasTool('tar')) {
      console.warn('skipped: tar is not installed')
      context.skip()
    }
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-pack-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'a.tar'), tar)
    const listing = run('tar', ['--utc', '-tvf', join(dir, 'a.tar')])
    expect(listing.stderr).toBe('')
    const lines = listing.stdout.toString('utf8').trim().split('\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toMatch(/^drwx------ .* 0 2023-06-01 12:00 base\/$/)
    expect(lines[1]).toMatch(/^-rw------- .* 3 2023-06-01 12:00 base\/1\/PG_VERSION$/)
    expect(lines[2]).toMatch(new RegExp(`^-rw-r----- .* 70000 2023-06-01 12:00 ${LONG}$`))
    expect(lines[3]).toMatch(/^lrwxrwxrwx .* pg_wal -> \/var\/lib\/wal\/ünïcode$/)
    const out = join(dir, 'x')
    expect(run('sh', ['-c', `mkdir ${out} && tar -xf ${join(dir, 'a.tar')} -C ${out}`]).status).toBe(0)
    expect(readFileSync(join(out, LONG)).equals(Buffer.concat([sampleBytes(30000), sampleBytes(40000, 2)]))).toBe(true)
  })

  it('GNU tar lists the tar through multi-member gzip, multi-frame lz4 and zstd', async (context) => {
    if (!hasTool('tar')) {
      console.warn('skipped: tar is not installed')
      context.skip()
    }
    const tar = await sampleTar()
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-packz-'))
    dirs.push(dir)
    for (const [codec, flags] of [['gzip', ['-z']], ['lz4', ['-I', 'lz4']], ['zstd', ['--zstd']]] as const) {
      if (codec !== 'gzip' && !hasTool(codec)) {
        console.warn(`skipped: ${codec} is not installed`)
        continue
      }
      const file = join(dir, `a.tar.${codec}`)
      writeFileSync(file, await through(tar, [createCompressor(codec, { blockSize: 4096 })]))
      const listing = run('tar', [...flags, '-tf', file])
      expect(listing.stderr).toBe('')
      expect(listing.status).toBe(0)
      expect(listing.stdout.toString('utf8').trim().split('\n')).toEqual(['base/', 'base/1/PG_VERSION', LONG, 'pg_wal', 'empty'])
    }
  })

  it('returns the size and checksum of each body', async () => {
    const packer = createTarPacker()
    const drained = collect(packer.stream)
    const body = sampleBytes(5000)
    const added = await packer.add({ name: 'f', size: 5000 }, Readable.from([body.subarray(0, 10), body.subarray(10)]), { checksum: 'CRC32C' })
    expect(added).toEqual({ size: 5000, checksum: checksumOf('CRC32C', body) })
    packer.finalize()
    await drained
  })

  it('uses a pax size record above 8 GiB (header level)', async () => {
    // A real 8 GiB body is too slow for a unit test: check the header bytes of a destroyed entry.
    const packer = createTarPacker()
    const chunks: Buffer[] = []
    packer.stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    const streamError = new Promise((resolve) => packer.stream.on('error', resolve))
    const big = 9 * 1024 ** 3
    const pending = packer.add({ name: 'huge', size: big }, Readable.from([Buffer.alloc(512)]))
    await expect(pending).rejects.toBeInstanceOf(EntrySizeError)
    expect(await streamError).toBeInstanceOf(EntrySizeError)
    const head = Buffer.concat(chunks)
    expect(head.subarray(156, 157).toString()).toBe('x')
    expect(head.toString('latin1')).toContain(`size=${big}\n`)
    // Our reader takes the size from the pax record, then finds the data cut short.
    let seen = 0
    const reading = (async (): Promise<void> => {
      for await (const { header } of readTar(pieces(head, 512), { archive: 'huge.tar' })) {
        seen = header.size
      }
    })()
    await expect(reading).rejects.toBeInstanceOf(ArchiveTruncatedError)
    expect(seen).toBe(big)
  })

  it('refuses a body shorter or longer than its size', async () => {
    const short = createTarPacker()
    void collect(short.stream).catch(() => {})
    await expect(short.add({ name: 'a', size: 10 }, Readable.from([Buffer.alloc(5)]))).rejects.toThrow(
      'tar entry "a" announced 10 bytes but its source gave 5; was the file changed while it was read?'
    )
    const long = createTarPacker()
    void collect(long.stream).catch(() => {})
    await expect(long.add({ name: 'b', size: 3 }, Readable.from([Buffer.alloc(5)]))).rejects.toBeInstanceOf(EntrySizeError)
  })
})

describe('tar writer aborts', () => {
  it('rejects a pending add when the consumer destroys the output', async () => {
    const packer = createTarPacker()
    const endless = new Readable({ read(): void { this.push(Buffer.alloc(65536)) } })
    const pending = packer.add({ name: 'big', size: 1024 ** 3 }, endless)
    packer.stream.on('error', () => {})
    packer.stream.once('data', () => packer.stream.destroy(new Error('disk full')))
    await expect(pending).rejects.toThrow()
  })
})
