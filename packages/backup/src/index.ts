export { BackupCatalog, BACKUPS_DIR, BACKUP_RECORD_FILE, BACKUP_DATA_DIR } from './catalog/index.js'
export { newBackupId, isBackupId, checkBackupId, formatBackupRecord, parseBackupRecord } from './catalog/index.js'
export type { BackupRecord } from './catalog/index.js'
