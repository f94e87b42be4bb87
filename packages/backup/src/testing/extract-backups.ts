// Real backups for the extract / verify / restore integration tests: Debian's pg_basebackup (PG 15
// client: servers 13-15) and cold copies of a stopped cluster (any major), as GNU tar archives or as
// a plain directory. Never exported.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ManifestBuilder, createFileChecksum, directoryFiles, isIgnoredPath } from '@tidemark/archive'
import { debianTool, scratchDir, type Cluster } from '@tidemark/test-fixtures'

export const pgBaseBackupTool: string | undefined = debianTool('pg_basebackup')

/** Runs Debian's pg_basebackup against the cluster into a new directory; returns it. */
export function pgBaseBackup(cluster: Cluster, args: readonly string[]): string {
  const dir = join(scratchDir('restore-side-bb'), 'backup')
  const result = spawnSync(
    pgBaseBackupTool ?? 'pg_basebackup',
    ['-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user, '-D', dir, '-c', 'fast', ...args],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: cluster.password } }
  )
  if (result.status !== 0) {
    throw new Error(`pg_basebackup ${args.join(' ')} failed: ${result.stderr}`)
  }
  return dir
}

/** The cluster's tablespaces as pg_tblspc shows them: oid and location. */
export function clusterTablespaces(cluster: Cluster): Array<{ oid: string; location: string }> {
  const dir = join(cluster.dataDir, 'pg_tblspc')
  return readdirSync(dir).map((oid) => ({ oid, location: readlinkSync(join(dir, oid)) }))
}

const COMPRESSORS = { gzip: ['gzip', '.gz'], lz4: ['lz4', '.lz4'], zstd: ['zstd', '.zst'] } as const

/**
 * A tar-format backup made by hand from the stopped cluster with GNU tar: base.tar (pg_tblspc links
 * as they are) and <oid>.tar per tablespace, optionally compressed with the command-line tool.
 */
export async function coldTarBackup(cluster: Cluster, compression?: keyof typeof COMPRESSORS): Promise<string> {
  await cluster.stop({ keepFiles: true })
  const dir = join(scratchDir('restore-side-cold'), 'backup')
  mkdirSync(dir)
  const archives: string[] = []
  execFileSync('tar', ['-C', cluster.dataDir, '--exclude=./postmaster.pid', '-cf', join(dir, 'base.tar'), '.'])
  archives.push(join(dir, 'base.tar'))
  for (const { oid, location } of clusterTablespaces(cluster)) {
    execFileSync('tar', ['-C', location, '-cf', join(dir, `${oid}.tar`), '.'])
    archives.push(join(dir, `${oid}.tar`))
  }
  if (compression) {
    const [tool, suffix] = COMPRESSORS[compression]
    for (const archive of archives) {
      writeFileSync(`${archive}${suffix}`, execFileSync(tool, ['-q', '-c', archive], { maxBuffer: 1 << 30 }))
      rmSync(archive)
    }
  }
  await cluster.start()
  return dir
}

/**
 * A plain backup from the stopped cluster, as pg_basebackup -Fp -T would leave it: a copy of the
 * data directory whose pg_tblspc links point at copies of the tablespaces beside it.
 */
export async function coldPlainBackup(cluster: Cluster): Promise<string> {
  await cluster.stop({ keepFiles: true })
  const base = scratchDir('restore-side-plain')
  const dir = join(base, 'backup')
  cpSync(cluster.dataDir, dir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true })
  rmSync(join(dir, 'postmaster.pid'), { force: true })
  for (const { oid, location } of clusterTablespaces(cluster)) {
    const copy = join(base, `tablespace-${oid}`)
    cpSync(location, copy, { recursive: true, preserveTimestamps: true })
    rmSync(join(dir, 'pg_tblspc', oid))
    symlinkSync(copy, join(dir, 'pg_tblspc', oid))
  }
  await cluster.start()
  return dir
}

/**
 * A plain cold copy (as coldPlainBackup) with a backup_manifest written by our ManifestBuilder: every
 * file with a CRC32C, and as WAL range the shutdown checkpoint the copy's pg_control names (read from
 * the restarted server, which has not checkpointed since). For majors pg_basebackup 15 cannot back up.
 */
export async function coldPlainBackupWithManifest(cluster: Cluster): Promise<string> {
  const dir = await coldPlainBackup(cluster)
  const [control] = await cluster.query<{ redo: string; checkpoint: string; timeline: number; system: string }>(
    `SELECT c.redo_lsn::text AS redo, c.checkpoint_lsn::text AS checkpoint, c.timeline_id AS timeline, s.system_identifier::text AS system
       FROM pg_control_checkpoint() AS c, pg_control_system() AS s`
  )
  if (!control) {
    throw new Error('pg_control_checkpoint() returned nothing')
  }
  const builder = new ManifestBuilder({ version: cluster.major >= 17 ? 2 : 1, systemIdentifier: control.system })
  for await (const file of directoryFiles(dir)) {
    if (isIgnoredPath(file.path)) {
      continue
    }
    const checksum = createFileChecksum('CRC32C')
    checksum.update(readFileSync(join(dir, file.path)))
    builder.addFile({ path: file.path, size: file.size, mtime: statSync(join(dir, file.path)).mtime, checksumAlgorithm: 'CRC32C', checksum: checksum.digest() })
  }
  writeFileSync(join(dir, 'backup_manifest'), builder.finish([{ timeline: control.timeline, startLsn: control.redo, endLsn: control.checkpoint }]))
  return dir
}
