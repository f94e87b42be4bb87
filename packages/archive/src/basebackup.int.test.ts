// Against a real PostgreSQL 15 server and Debian's pg_basebackup / pg_verifybackup: our readers,
// detection, manifest parser and verifier on real tar backups in every compression, our manifest
// writer reproducing the server's manifest byte for byte, and extraction of a real backup that
// pg_verifybackup then accepts.
import { spawnSync } from 'node:child_process'
import { createReadStream, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSampleTable, debianTool, missingToolMessage, scratchDir, startCluster, stopAllClusters } from '@tidemark/test-fixtures'
import type { Cluster } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileChecksum } from './checksum.js'
import { openArchive } from './detect.js'
import { extractEntries } from './extract.js'
import { ManifestBuilder } from './manifest-builder.js'
import { parseManifest } from './manifest-parser.js'
import { directoryFiles, isIgnoredPath, tarFiles, verifyBackupFiles } from './manifest-verify.js'
import type { BackupFile } from './manifest-verify.js'

const basebackup = debianTool('pg_basebackup')
const verifybackup = debianTool('pg_verifybackup')
let cluster: Cluster | undefined

beforeAll(async () => {
  if (basebackup && verifybackup) {
    cluster = await startCluster({ major: 15, tablespaces: ['ts1'] })
    await createSampleTable(cluster, 'in_base', 5000)
    await createSampleTable(cluster, 'in_ts', 3000, { tablespace: 'ts1' })
  }
})
afterAll(stopAllClusters)

function takeBackup(args: string[]): string {
  const live = cluster as Cluster
  const dir = join(scratchDir('archive-bb'), 'backup')
  const result = spawnSync(
    basebackup as string,
    ['-h', live.host, '-p', String(live.port), '-U', live.user, '-D', dir, '-c', 'fast', '--manifest-checksums=CRC32C', ...args],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: live.password } }
  )
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return dir
}

/** Every file of a tar-format backup directory, tablespace archives placed under pg_tblspc/<oid>. */
async function* backupFiles(dir: string, seen: string[]): AsyncGenerator<BackupFile> {
  for (const name of readdirSync(dir).sort()) {
    const match = /^(base|pg_wal|\d+)\.tar(\.gz|\.lz4|\.zst)?$/.exec(name)
    if (!match) {
      continue
    }
    const opened = await openArchive(createReadStream(join(dir, name)), { archive: name })
    seen.push(`${name}:${opened.compression}:${opened.format}`)
    const prefix = match[1] === 'base' ? '' : match[1] === 'pg_wal' ? 'pg_wal' : `pg_tblspc/${match[1]}`
    yield* tarFiles(opened.entries, prefix)
  }
}

describe("real pg_basebackup backups (Debian's PostgreSQL 15 tools)", () => {
  const variants: Array<[string, string[], string]> = [
    ['uncompressed', [], 'none'],
    ['gzip', ['-z'], 'gzip'],
    ['client lz4', ['--compress=client-lz4'], 'lz4'],
    ['client zstd', ['--compress=client-zstd:5'], 'zstd'],
    ['server gzip', ['--compress=server-gzip:1'], 'gzip'],
  ]
  for (const [label, args, compression] of variants) {
    it(`${label}: detected, read and verified against its manifest without extraction`, async (context) => {
      if (!basebackup || !verifybackup) {
        console.warn(missingToolMessage('pg_basebackup'))
        context.skip()
        return
      }
      const dir = takeBackup(['-Ft', '-Xfetch', ...args])
      const manifest = parseManifest(readFileSync(join(dir, 'backup_manifest')))
      expect(manifest.version).toBe(1)
      expect(manifest.files.length).toBeGreaterThan(100)
      expect(manifest.walRanges).toHaveLength(1)
      const seen: string[] = []
      const result = await verifyBackupFiles(manifest, backupFiles(dir, seen))
      expect(result.problems).toEqual([])
      expect(result.checkedFiles).toBe(manifest.files.filter((file) => !isIgnoredPath(file.path)).length)
      expect(seen.some((entry) => entry.startsWith('base.tar'))).toBe(true)
      expect(seen.every((entry) => entry.endsWith(`:${compression}:tar`))).toBe(true)
      expect(seen.length).toBe(2)
    })
  }

  it('plain backup with a relocated tablespace: verified in place, following pg_tblspc links', async (context) => {
    if (!basebackup || !verifybackup) {
      console.warn(missingToolMessage('pg_basebackup'))
      context.skip()
      return
    }
    const relocated = join(scratchDir('archive-ts'), 'ts1')
    const location = (cluster as Cluster).tablespaces[0]?.location ?? ''
    const dir = takeBackup(['-Fp', '-Xstream', `--tablespace-mapping=${location}=${relocated}`])
    const manifest = parseManifest(readFileSync(join(dir, 'backup_manifest')))
    expect(manifest.files.some((file) => file.path.startsWith('pg_tblspc/'))).toBe(true)
    const result = await verifyBackupFiles(manifest, directoryFiles(dir))
    expect(result.problems).toEqual([])
    writeFileSync(join(dir, 'PG_VERSION'), '99\n')
    const damaged = await verifyBackupFiles(manifest, directoryFiles(dir))
    expect(damaged.problems.map((problem) => problem.message)).toEqual(['checksum mismatch for file "PG_VERSION"'])
  })

  it('our manifest writer reproduces the server manifest byte for byte from the tar entries', async (context) => {
    if (!basebackup || !verifybackup) {
      console.warn(missingToolMessage('pg_basebackup'))
      context.skip()
      return
    }
    const dir = takeBackup(['-Ft', '-Xfetch'])
    const original = readFileSync(join(dir, 'backup_manifest'))
    const manifest = parseManifest(original)
    const found = new Map<string, { size: number; mtime: Date; checksum: string }>()
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.tar'))) {
      const prefix = name === 'base.tar' ? '' : `pg_tblspc/${name.replace('.tar', '')}/`
      const opened = await openArchive(createReadStream(join(dir, name)), { archive: name })
      for await (const { header, body } of opened.entries) {
        if (header.type !== 'file') {
          continue
        }
        const checksum = createFileChecksum('CRC32C')
        for await (const chunk of body) {
          checksum.update(chunk as Buffer)
        }
        found.set(`${prefix}${header.name}`, { size: header.size, mtime: header.mtime, checksum: checksum.digest() })
      }
    }
    const builder = new ManifestBuilder({ version: 1 })
    for (const file of manifest.files) {
      const entry = found.get(file.path)
      expect(entry, file.path).toBeDefined()
      builder.addFile({ path: file.path, size: entry?.size ?? -1, mtime: entry?.mtime ?? new Date(0), checksumAlgorithm: 'CRC32C', checksum: entry?.checksum ?? '' })
    }
    const rebuilt = builder.finish(manifest.walRanges)
    expect(rebuilt.toString('utf8')).toBe(original.toString('utf8'))
  })

  it("extracts a real tar backup into a directory pg_verifybackup accepts, with our manifest", async (context) => {
    if (!basebackup || !verifybackup) {
      console.warn(missingToolMessage('pg_basebackup'))
      context.skip()
      return
    }
    const dir = takeBackup(['-Ft', '-Xfetch', '-z'])
    const target = join(scratchDir('archive-extract'), 'data')
    const opened = await openArchive(createReadStream(join(dir, 'base.tar.gz')), { archive: 'base.tar.gz' })
    const result = await extractEntries(opened.entries, target, { archive: 'base.tar.gz' })
    expect(result.files).toBeGreaterThan(100)
    // Rewrite the manifest with our writer from the extracted files, tablespaces left out.
    const manifest = parseManifest(readFileSync(join(dir, 'backup_manifest')))
    const builder = new ManifestBuilder()
    for (const file of manifest.files.filter((entry) => !entry.path.startsWith('pg_tblspc/'))) {
      const checksum = createFileChecksum('SHA256')
      const bytes = readFileSync(join(target, file.path))
      checksum.update(bytes)
      builder.addFile({ path: file.path, size: bytes.length, mtime: new Date(), checksumAlgorithm: 'SHA256', checksum: checksum.digest() })
    }
    writeFileSync(join(target, 'backup_manifest'), builder.finish(manifest.walRanges))
    const verified = spawnSync(verifybackup as string, ['--ignore=pg_tblspc', target], { encoding: 'utf8' })
    expect(verified.stderr).toBe('')
    expect(verified.stdout).toContain('backup successfully verified')
    expect(verified.status).toBe(0)
  })
})
