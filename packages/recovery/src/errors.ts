// Errors of @tidemark/recovery. Every class has a stable `code` (listed in docs/errors.md) and the
// exit status the apps use for it: 2 usage, 3 refused (nothing changed), 4 failed.

/** Two or more recovery targets were given; a recovery stops at one point. */
export class RecoveryTargetConflictError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_TARGET_CONFLICT'
  readonly exitCode: number = 2
  constructor(readonly targets: readonly string[]) {
    super(`give at most one recovery target; got ${targets.join(' and ')}`)
  }
}

/** A recovery_target_lsn that is not `X/Y` hexadecimal. */
export class RecoveryLsnError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_LSN_INVALID'
  readonly exitCode: number = 2
  constructor(readonly value: string) {
    super(`recovery target LSN "${value}" is not of the form X/Y with 1 to 8 hexadecimal digits on each side (e.g. 0/16B3F28)`)
  }
}

/** A recovery_target_time that does not parse, or whose zone is unknown. */
export class RecoveryTimeError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_TIME_INVALID'
  readonly exitCode: number = 2
}

/** A recovery_target_xid that is not a positive integer. */
export class RecoveryXidError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_XID_INVALID'
  readonly exitCode: number = 2
  constructor(readonly value: string) {
    super(`recovery target xid "${value}" is not a positive integer (a transaction id such as 1234)`)
  }
}

/** A recovery_target_name that is empty, too long (over 63 bytes) or holds a control character. */
export class RecoveryNameError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_NAME_INVALID'
  readonly exitCode: number = 2
}

/** A recovery_target_timeline other than latest, current or a positive number. */
export class RecoveryTimelineError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_TIMELINE_INVALID'
  readonly exitCode: number = 2
  constructor(readonly value: string) {
    super(`recovery target timeline "${value}" is not latest, current or a positive timeline number`)
  }
}

/** Any other value that cannot be used: a bad boolean or action, a command with a newline or an unknown %-escape. */
export class RecoveryValueError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_VALUE_INVALID'
  readonly exitCode: number = 2
}

/** A setting the chosen server flavor or version does not know (on openGauss an unknown key is fatal). */
export class RecoveryKeyUnsupportedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_KEY_UNSUPPORTED'
  readonly exitCode: number = 2
}

/** Archive recovery without a restore_command: the server refuses to start. */
export class RestoreCommandMissingError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_RESTORE_COMMAND_MISSING'
  readonly exitCode: number = 2
  constructor() {
    super('archive recovery needs a restore_command; give one (or the WAL repository it should read from)')
  }
}

/** A server flavor or version Tidemark cannot write recovery configuration for. */
export class ServerVersionUnsupportedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_SERVER_UNSUPPORTED'
  readonly exitCode: number = 3
}

/** The directory is not a data directory (no readable PG_VERSION). */
export class DataDirectoryError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_DATA_DIR'
  readonly exitCode: number = 2
}

/** The server of the data directory runs (postmaster.pid names a live process). */
export class ServerRunningError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_SERVER_RUNNING'
  readonly exitCode: number = 3
  constructor(
    readonly dataDir: string,
    readonly pid: number
  ) {
    super(`the server of "${dataDir}" is running (postmaster pid ${pid}); stop it first, nothing was changed`)
  }
}

/** An existing configuration file that cannot be parsed or whose managed block is damaged. */
export class ConfigFileError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_CONFIG_FILE'
  readonly exitCode: number = 3
}

/** A standby.signal is present, which would turn a point-in-time recovery into a standby that never ends. */
export class StandbySignalPresentError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_STANDBY_SIGNAL'
  readonly exitCode: number = 3
  constructor(readonly dataDir: string) {
    super(
      `"${dataDir}/standby.signal" exists: the server would start as a standby and never finish recovery; ` +
        `remove it for a point-in-time recovery, nothing was changed`
    )
  }
}

/** Writing a configuration file failed (disk full, permissions); the file is as it was. */
export class ConfigWriteError extends Error {
  readonly code: string = 'TIDEMARK_ERR_RECOVERY_WRITE_FAILED'
  readonly exitCode: number = 4
}
