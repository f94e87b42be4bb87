import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checksumOf } from './checksum.js'
import { ManifestBuilder } from './manifest-builder.js'
import { parseManifest } from './manifest-parser.js'
import { directoryFiles, isIgnoredPath, tarFiles, verifyBackupFiles } from './manifest-verify.js'
import type { BackupFile } from './manifest-verify.js'
import { readTar } from './tar-reader.js'
import { buildTar, pieces } from './testing/archives.js'
import { sampleBytes } from './testing/streams.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true })
  }
})

const FILES: Array<[string, Buffer]> = [
  ['PG_VERSION', Buffer.from('15\n')],
  ['base/1/1259', sampleBytes(9000)],
  ['global/pg_control', sampleBytes(8192, 3)],
  ['pg_tblspc/16384/PG_15_202209061/5/16385', sampleBytes(100, 4)],
]

function manifestFor(files: Array<[string, Buffer]>): ReturnType<typeof parseManifest> {
  const builder = new ManifestBuilder()
  for (const [path, data] of files) {
    builder.addFile({ path, size: data.length, mtime: new Date(0), checksumAlgorithm: 'CRC32C', checksum: checksumOf('CRC32C', data) })
  }
  return parseManifest(builder.finish([{ timeline: 1, startLsn: '0/2000028', endLsn: '0/2000100' }]))
}

describe('manifest verification', () => {
  it('knows what PostgreSQL leaves out of manifests', () => {
    expect(isIgnoredPath('pg_wal/000000010000000000000001')).toBe(true)
    expect(isIgnoredPath('postgresql.auto.conf')).toBe(true)
    expect(isIgnoredPath('standby.signal')).toBe(true)
    expect(isIgnoredPath('backup_manifest')).toBe(true)
    expect(isIgnoredPath('pg_wal_other')).toBe(false)
    expect(isIgnoredPath('postgresql.conf')).toBe(false)
  })

  it('passes an intact directory with a tablespace link, and names every problem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tidemark-verify-'))
    dirs.push(root)
    const data = join(root, 'data')
    const tablespace = join(root, 'tbs')
    for (const [path, content] of FILES) {
      const full = path.startsWith('pg_tblspc/') ? join(tablespace, path.split('/').slice(2).join('/')) : join(data, path)
      mkdirSync(join(full, '..'), { recursive: true })
      writeFileSync(full, content)
    }
    mkdirSync(join(data, 'pg_tblspc'), { recursive: true })
    symlinkSync(tablespace, join(data, 'pg_tblspc/16384'))
    mkdirSync(join(data, 'pg_wal'))
    writeFileSync(join(data, 'pg_wal/000000010000000000000002'), 'wal')
    writeFileSync(join(data, 'postgresql.auto.conf'), '')
    const manifest = manifestFor(FILES)
    expect(await verifyBackupFiles(manifest, directoryFiles(data))).toEqual({ ok: true, problems: [], checkedFiles: 4, checkedBytes: 17295 })

    writeFileSync(join(data, 'base/1/1259'), Buffer.concat([sampleBytes(8999), Buffer.from('!')]))
    writeFileSync(join(data, 'global/pg_control'), sampleBytes(10))
    rmSync(join(data, 'PG_VERSION'))
    writeFileSync(join(data, 'extra_file'), 'x')
    const result = await verifyBackupFiles(manifest, directoryFiles(data))
    expect(result.ok).toBe(false)
    expect(result.problems.map((problem) => problem.message).sort()).toEqual([
      '"PG_VERSION" is present in the manifest but not on disk',
      '"extra_file" is present on disk but not in the manifest',
      '"global/pg_control" has size 10 on disk but size 8192 in the manifest',
      'checksum mismatch for file "base/1/1259"',
    ])
  })

  it('verifies tar archives without extracting them', async () => {
    const base = await buildTar(FILES.filter(([path]) => !path.startsWith('pg_tblspc')).map(([name, data]) => [{ name }, data]))
    const tablespace = await buildTar([[{ name: 'PG_15_202209061/5/16385' }, sampleBytes(100, 4)]])
    const files = async function* (): AsyncGenerator<BackupFile> {
      yield* tarFiles(readTar(pieces(base, 1000)))
      yield* tarFiles(readTar(pieces(tablespace, 1000)), 'pg_tblspc/16384')
    }
    expect((await verifyBackupFiles(manifestFor(FILES), files())).ok).toBe(true)
    const flipped = Buffer.from(base)
    flipped[512 * 3 + 10] = (flipped[512 * 3 + 10] as number) ^ 1
    const result = await verifyBackupFiles(manifestFor(FILES), tarFiles(readTar(pieces(flipped, 1000))))
    expect(result.problems.map((problem) => problem.message)).toEqual([
      'checksum mismatch for file "base/1/1259"',
      '"pg_tblspc/16384/PG_15_202209061/5/16385" is present in the manifest but not on disk',
    ])
  })
})
