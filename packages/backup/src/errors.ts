// Errors of the backup engine. Every class has a stable `code` (listed in docs/errors.md) and the
// exit status the apps use for it: 2 usage, 3 refused (nothing changed), 4 failed (cleaned up).

export class BackupUsageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_USAGE'
  readonly exitCode: number = 2
}

export class TablespaceMappingError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_TABLESPACE_MAPPING'
  readonly exitCode: number = 2
}

export class CompressionSpecError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_COMPRESSION_SPEC'
  readonly exitCode: number = 2
}

export class MaxRateError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_MAX_RATE'
  readonly exitCode: number = 2
}

export class TargetNotEmptyError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_TARGET_NOT_EMPTY'
  readonly exitCode: number = 3
  constructor(readonly path: string, what = 'directory') {
    super(`${what} "${path}" exists but is not empty; choose an empty or new directory`)
  }
}

export class TablespaceConflictError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_TABLESPACE_IN_USE'
  readonly exitCode: number = 3
  constructor(readonly path: string) {
    super(
      `tablespace directory "${path}" exists and is not empty (the server's own tablespace on this machine?); ` +
        `relocate it with -T OLDDIR=NEWDIR or use -F tar`
    )
  }
}

export class BackupFailedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_FAILED'
  readonly exitCode: number = 4
}

/** basebackup --repo: the repository's WAL belongs to another database system; nothing was stored. */
export class BackupRepositoryMismatchError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_REPOSITORY_MISMATCH'
  readonly exitCode: number = 3
}

export class BackupInterruptedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_INTERRUPTED'
  readonly exitCode: number
  constructor(signal: 'SIGINT' | 'SIGTERM' | string) {
    super(`interrupted by ${signal}`)
    this.exitCode = signal === 'SIGTERM' ? 143 : 130
  }
}

/** extract, verify, restore: the backup named does not exist, or holds no base archive nor data directory. */
export class BackupSourceError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_SOURCE'
  readonly exitCode: number = 1
}

/** extract: a tablespace archive whose location neither tablespace_map nor a pg_tblspc link in the base archive gives. */
export class TablespaceLocationError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_TABLESPACE_LOCATION'
  readonly exitCode: number = 4
}

/** verify: the backup has problems (each was reported with its file). */
export class VerifyFailedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_VERIFY_FAILED'
  readonly exitCode: number = 4
}

/** restore: the server that owns the data directory is running; nothing was touched. */
export class RestoreServerRunningError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_SERVER_RUNNING'
  readonly exitCode: number = 3
  constructor(readonly dataDir: string, pid: string | number) {
    super(`the server of "${dataDir}" is running (postmaster pid ${pid}); stop it first (pg_ctl stop -D ${dataDir}); nothing was touched`)
  }
}

/** restore: a step failed after the data directory was moved aside; the moved-aside data was put back. */
export class RestoreFailedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_RESTORE_FAILED'
  readonly exitCode: number = 4
}

/** pitr: the preflight found the backup or the repository unusable (the message says why); nothing was touched. */
export class PitrPreflightError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_PITR_PREFLIGHT'
  readonly exitCode: number = 3
}

/** pitr: the repository lacks WAL segments recovery needs (the message names them); nothing was touched. */
export class PitrWalGapError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_PITR_WAL_GAP'
  readonly exitCode: number = 3
  readonly missing: readonly string[]
  constructor(message: string, missing: readonly string[] = []) {
    super(message)
    this.missing = missing
  }
}

/** pitr: the target lies before the backup's end, which PITR cannot reach; nothing was touched. */
export class PitrTargetBeforeBackupError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_PITR_TARGET_BEFORE_BACKUP'
  readonly exitCode: number = 3
}

/** pitr --start: recovery ended (end of WAL) before the configured target was reached; the server is stopped. */
export class PitrTargetNotReachedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_PITR_TARGET_NOT_REACHED'
  readonly exitCode: number = 4
}

/** pitr --start: the server stopped during recovery for another reason (see its log). */
export class PitrRecoveryFailedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_PITR_RECOVERY_FAILED'
  readonly exitCode: number = 4
}

/** resume: the server is not in recovery, or did not leave it. */
export class ResumeFailedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_RESUME_FAILED'
  readonly exitCode: number = 4
}

/** pitr --repo without --backup: no backup of the repository ends before the target with the WAL to reach it. */
export class NoBackupForTargetError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_NO_BACKUP_FOR_TARGET'
  readonly exitCode: number = 3
}

/** expire: removing the older backups would leave none that can be restored; nothing was changed. */
export class ExpireRefusedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_BACKUP_EXPIRE_REFUSED'
  readonly exitCode: number = 3
}
