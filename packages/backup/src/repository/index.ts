// Backups in a repository (a directory or S3): backups/<id>/data/ and backups/<id>/backup.json.
export { BackupRepository } from './backup-repository.js'
export type { BackupFile } from './backup-repository.js'
