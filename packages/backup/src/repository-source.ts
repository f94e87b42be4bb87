// A backup of a repository as a source for extract, verify, restore and pitr: each archive is read
// from storage as a stream (never copied to a local file first), the manifest as bytes. Only a
// finished backup (one with its record) is a source.
import { BackupSourceError } from './errors.js'
import { archiveRole, sortArchives, type BackupArchive, type BackupLayout } from './extract-sources.js'
import type { BackupRepository } from './repository/backup-repository.js'
import { readAll } from './server-archive.js'

/** --repo REPO --backup ID. */
export interface RepositoryBackupSource {
  readonly repository: BackupRepository
  readonly id: string
}

const MANIFEST = 'backup_manifest'

/** The archives and manifest of a finished backup; BackupSourceError when there is no such backup. */
export async function repositoryBackupLayout(source: RepositoryBackupSource): Promise<BackupLayout> {
  const { repository, id } = source
  const record = await repository.read(id)
  if (!record) {
    const unfinished = (await repository.ids()).includes(id)
    throw new BackupSourceError(
      unfinished
        ? `backup ${id} in ${repository.url} is unfinished (no backup.json): it is being written or its run failed`
        : `the repository ${repository.url} holds no backup ${id} (tidemark backups --repo lists them)`
    )
  }
  const files = await repository.files(id)
  const archives: BackupArchive[] = []
  for (const file of files) {
    const found = archiveRole(file.name)
    if (found) {
      archives.push({
        name: file.name,
        path: `${repository.url}/${repository.fileKey(id, file.name)}`,
        role: found.role,
        oid: found.oid,
        size: file.size,
        read: (signal) => repository.getFile(id, file.name, signal ? { signal } : {}),
      })
    }
  }
  if (archives.filter((archive) => archive.role === 'base').length !== 1) {
    throw new BackupSourceError(`backup ${id} in ${repository.url} does not hold exactly one base archive (base.tar[.gz|.lz4|.zst])`)
  }
  const hasManifest = files.some((file) => file.name === MANIFEST)
  return {
    kind: 'tar',
    archives: sortArchives(archives),
    manifestPath: hasManifest ? `${repository.url}/${repository.fileKey(id, MANIFEST)}` : undefined,
    ...(hasManifest ? { readManifest: async () => readAll(await repository.getFile(id, MANIFEST)) } : {}),
  }
}
