import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Lays a tar-format backup down with GNU tar alone (an independent reader): base into dataDir,
 * pg_wal.tar into pg_wal, each <oid>.tar into tablespaceDir(oid) with pg_tblspc/<oid> relinked.
 * Returns the archive listing GNU tar printed for each file (it fails on an unreadable archive).
 */
export function restoreWithGnuTar(backupDir: string, dataDir: string, tablespaceDir: (oid: string) => string): Record<string, string> {
  const listings: Record<string, string> = {}
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const archives = readdirSync(backupDir).filter((name) => /\.tar(\.gz|\.lz4|\.zst)?$/.test(name))
  const flags = (name: string): string[] => (name.endsWith('.gz') ? ['-z'] : name.endsWith('.lz4') ? ['--use-compress-program=lz4'] : name.endsWith('.zst') ? ['--zstd'] : [])
  for (const name of archives) {
    listings[name] = execFileSync('tar', [...flags(name), '-tvf', join(backupDir, name)]).toString()
  }
  const base = archives.find((name) => name.startsWith('base.tar'))
  if (!base) {
    throw new Error(`no base archive in ${backupDir}`)
  }
  execFileSync('tar', [...flags(base), '-xf', join(backupDir, base), '-C', dataDir])
  for (const name of archives) {
    const oid = /^(\d+)\.tar/.exec(name)?.[1]
    if (name.startsWith('pg_wal.tar')) {
      mkdirSync(join(dataDir, 'pg_wal'), { recursive: true, mode: 0o700 })
      execFileSync('tar', [...flags(name), '-xf', join(backupDir, name), '-C', join(dataDir, 'pg_wal')])
    } else if (oid) {
      const target = tablespaceDir(oid)
      mkdirSync(target, { recursive: true, mode: 0o700 })
      execFileSync('tar', [...flags(name), '-xf', join(backupDir, name), '-C', target])
      const link = join(dataDir, 'pg_tblspc', oid)
      try {
        readlinkSync(link)
        rmSync(link)
      } catch {
        // no link in base.tar (a tablespace_map instead): make it
      }
      rmSync(join(dataDir, 'tablespace_map'), { force: true })
      mkdirSync(join(dataDir, 'pg_tblspc'), { recursive: true, mode: 0o700 })
      symlinkSync(target, link)
    }
  }
  return listings
}
