// The on-disk backup catalog: backups/<id>/ with each backup's files and its backup.json record.
export { BackupCatalog, BACKUPS_DIR, BACKUP_RECORD_FILE, BACKUP_DATA_DIR } from './backup-catalog.js'
export { newBackupId, isBackupId, checkBackupId } from './backup-id.js'
export { formatBackupRecord, parseBackupRecord, BACKUP_RECORD_FORMAT, BACKUP_RECORD_VERSION } from './backup-record.js'
export type { BackupRecord } from './backup-record.js'
export { directorySize } from './directory-size.js'
