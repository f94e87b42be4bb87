import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { debianTool, missingToolMessage } from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { checksumOf } from './checksum.js'
import type { ChecksumAlgorithm } from './checksum.js'
import { ManifestChecksumError, ManifestFormatError } from './errors.js'
import { ManifestBuilder, formatLsn } from './manifest-builder.js'
import { escapeJsonString, formatManifestTime } from './manifest-format.js'
import { parseManifest } from './manifest-parser.js'

const MTIME = new Date(Date.UTC(2024, 0, 2, 3, 4, 5))
const WAL = [{ timeline: 1, startLsn: '0/2000028', endLsn: '0/2000100' }]

// Golden text: the layout PostgreSQL's backup_manifest.c writes, byte for byte.
const GOLDEN_V1 =
  '{ "PostgreSQL-Backup-Manifest-Version": 1,\n' +
  '"Files": [\n' +
  '{ "Path": "backup_label", "Size": 3, "Last-Modified": "2024-01-02 03:04:05 GMT", "Checksum-Algorithm": "CRC32C", "Checksum": "839206e3" },\n' +
  '{ "Path": "base/1/a\\"b", "Size": 0, "Last-Modified": "2024-01-02 03:04:05 GMT" }\n' +
  '],\n' +
  '"WAL-Ranges": [\n' +
  '{ "Timeline": 1, "Start-LSN": "0/2000028", "End-LSN": "0/2000100" }\n' +
  '],\n'

describe('backup_manifest writer', () => {
  it('writes the PostgreSQL layout byte for byte, with the SHA-256 over everything before the last line', () => {
    const builder = new ManifestBuilder()
    builder.addFile({ path: 'backup_label', size: 3, mtime: MTIME, checksumAlgorithm: 'CRC32C', checksum: '839206e3' })
    builder.addFile({ path: 'base/1/a"b', size: 0, mtime: MTIME, checksumAlgorithm: 'NONE', checksum: '' })
    const text = builder.finish(WAL).toString('utf8')
    const sha = checksumOf('SHA256', Buffer.from(GOLDEN_V1))
    expect(text).toBe(`${GOLDEN_V1}"Manifest-Checksum": "${sha}"}\n`)
    expect(builder.fileCount).toBe(2)
  })

  it('writes version 2 with System-Identifier and streams chunks', () => {
    const chunks: Buffer[] = []
    const builder = new ManifestBuilder({ version: 2, systemIdentifier: 7308250211431890000n, onChunk: (chunk) => chunks.push(chunk) })
    builder.addFile({ path: 'PG_VERSION', size: 3, mtime: MTIME, checksumAlgorithm: 'SHA256', checksum: 'AB'.repeat(32) })
    expect(builder.finish([]).length).toBe(0)
    const text = Buffer.concat(chunks).toString('utf8')
    expect(text.startsWith('{ "PostgreSQL-Backup-Manifest-Version": 2,\n"System-Identifier": 7308250211431890000,\n"Files": [\n')).toBe(true)
    expect(text).toContain('"Checksum": "' + 'ab'.repeat(32) + '"')
    const parsed = parseManifest(Buffer.concat(chunks))
    expect(parsed.version).toBe(2)
    expect(parsed.systemIdentifier).toBe('7308250211431890000')
    expect(parsed.walRanges).toEqual([])
  })

  it('escapes like escape_json and formats GMT times and LSNs', () => {
    expect(escapeJsonString('a\tb\n"\\\u0001é')).toBe('"a\\tb\\n\\"\\\\\\u0001é"')
    expect(formatManifestTime(new Date(Date.UTC(2020, 11, 31, 23, 59, 9)))).toBe('2020-12-31 23:59:09 GMT')
    expect(formatLsn(0x1_0000_0028n)).toBe('1/28')
    expect(formatLsn(0x1_0000_0028n, true)).toBe('1/00000028')
  })
})

describe('backup_manifest parser', () => {
  const builder = new ManifestBuilder()
  builder.addFile({ path: 'global/pg_control', size: 8192, mtime: MTIME, checksumAlgorithm: 'SHA224', checksum: 'aa'.repeat(28) })
  const bytes = builder.finish(WAL)

  it('reads files, WAL ranges and the checksum', () => {
    const parsed = parseManifest(bytes)
    expect(parsed.version).toBe(1)
    expect(parsed.files).toEqual([
      { path: 'global/pg_control', size: 8192, lastModified: '2024-01-02 03:04:05 GMT', checksumAlgorithm: 'SHA224', checksum: 'aa'.repeat(28) },
    ])
    expect(parsed.walRanges).toEqual(WAL)
  })

  it('refuses an altered manifest with the checksum error', () => {
    const altered = Buffer.from(bytes.toString('utf8').replace('8192', '8193'))
    expect(() => parseManifest(altered)).toThrow(ManifestChecksumError)
    expect(() => parseManifest(altered)).toThrow(/^backup_manifest checksum mismatch: the manifest says [0-9a-f]{64}, its contents give [0-9a-f]{64}/)
  })

  it('refuses what is not a manifest', () => {
    expect(() => parseManifest(Buffer.from('{"PostgreSQL-Backup-Manifest-Version": 3}\n'))).toThrow(
      'invalid backup_manifest: unexpected manifest version 3'
    )
    expect(() => parseManifest(Buffer.from('nope'))).toThrow(ManifestFormatError)
  })

  it('decodes Encoded-Path', () => {
    const text = bytes.toString('utf8').replace('"Path": "global/pg_control"', `"Encoded-Path": "${Buffer.from('global/pg_control').toString('hex')}"`)
    expect(parseManifest(Buffer.from(text), { verifyChecksum: false }).files[0]?.path).toBe('global/pg_control')
  })
})

describe("Debian's pg_verifybackup", () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  for (const algorithm of ['CRC32C', 'SHA256', 'SHA512', 'NONE'] as ChecksumAlgorithm[]) {
    it(`accepts a manifest written for a directory (${algorithm})`, (context) => {
      const tool = debianTool('pg_verifybackup')
      if (!tool) {
        console.warn(missingToolMessage('pg_verifybackup'))
        context.skip()
        return
      }
      const dir = mkdtempSync(join(tmpdir(), 'tidemark-manifest-'))
      dirs.push(dir)
      const files: Array<[string, Buffer]> = [
        ['backup_label', Buffer.from('START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n')],
        ['PG_VERSION', Buffer.from('15\n')],
        ['base/1/1259', Buffer.alloc(16384, 7)],
        ['global/pg_control', Buffer.alloc(8192, 1)],
        ['pg_tblspc/16384/PG_15_202209061/5/16385', Buffer.from('x'.repeat(1000))],
        ['odd name\twith tab', Buffer.from('')],
      ]
      const builder = new ManifestBuilder()
      for (const [path, content] of files) {
        mkdirSync(join(dir, path, '..'), { recursive: true })
        writeFileSync(join(dir, path), content)
        utimesSync(join(dir, path), MTIME, MTIME)
        builder.addFile({ path, size: content.length, mtime: MTIME, checksumAlgorithm: algorithm, checksum: checksumOf(algorithm, content) })
      }
      mkdirSync(join(dir, 'pg_wal'))
      writeFileSync(join(dir, 'backup_manifest'), builder.finish(WAL))
      const result = spawnSync(tool, ['--no-parse-wal', dir], { encoding: 'utf8' })
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(result.stdout).toContain('backup successfully verified')

      // ... and names a corrupted file.
      writeFileSync(join(dir, 'base/1/1259'), Buffer.alloc(16384, 8))
      const bad = spawnSync(tool, ['--no-parse-wal', dir], { encoding: 'utf8' })
      if (algorithm === 'NONE') {
        expect(bad.status).toBe(0)
      } else {
        expect(bad.status).not.toBe(0)
        expect(bad.stderr).toContain('checksum mismatch for file "base/1/1259"')
      }
    })
  }
})
