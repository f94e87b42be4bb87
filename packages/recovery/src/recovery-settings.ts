// The typed model of a recovery configuration, independent of the file it is written to.

/** Where recovery stops. Absent: at the end of the archived WAL. */
export type RecoveryTarget =
  | { readonly kind: 'name'; readonly name: string }
  /** `time` is normalized with an explicit UTC offset, e.g. `2026-01-02 03:04:05.123456+01`. */
  | { readonly kind: 'time'; readonly time: string }
  | { readonly kind: 'xid'; readonly xid: string }
  | { readonly kind: 'lsn'; readonly lsn: string }
  /** PostgreSQL only: stop as soon as the backup is consistent. */
  | { readonly kind: 'immediate' }

export type RecoveryTargetKind = RecoveryTarget['kind']

/** latest, current (the backup's timeline), or a timeline number. */
export type TargetTimeline = 'latest' | 'current' | number

/** PostgreSQL's recovery_target_action. */
export type TargetAction = 'pause' | 'promote' | 'shutdown'

export const TARGET_ACTIONS: readonly TargetAction[] = ['pause', 'promote', 'shutdown']

/** A validated recovery configuration (make one with resolveRecoverySettings). */
export interface RecoverySettings {
  /** Shell command, `%f` file name, `%p` destination path, `%r` restart-point file, `%%` a percent sign. */
  readonly restoreCommand?: string
  /** `%r`, `%%`. */
  readonly archiveCleanupCommand?: string
  /** `%r`, `%%`. */
  readonly recoveryEndCommand?: string
  readonly target?: RecoveryTarget
  /** Stop just after (true, the default) or just before the target. */
  readonly targetInclusive?: boolean
  readonly targetTimeline?: TargetTimeline
  /** PostgreSQL: what to do at the target (default pause). */
  readonly targetAction?: TargetAction
  /** openGauss: pause at the target (default true); false finishes recovery and promotes. */
  readonly pauseAtTarget?: boolean
}

/** A standby that streams from a primary (what `basebackup -R` writes). */
export interface StandbySettings {
  /** A libpq connection string, e.g. `host=10.0.0.1 port=5432 user=replicator`. */
  readonly primaryConninfo: string
  /** PostgreSQL primary_slot_name, openGauss primary_slotname. */
  readonly primarySlotName?: string
  /** Optional fallback to an archive, as in recovery. */
  readonly restoreCommand?: string
}
