import { Option, type Command } from 'commander'
import { TARGET_ACTIONS, type RecoveryInput } from '@tidemark/recovery'

/** The option values addRecoveryTargetOptions adds, as commander hands them over. */
export interface RecoveryTargetOptionValues {
  readonly targetName?: string
  readonly targetTime?: string
  readonly targetXid?: string
  readonly targetLsn?: string
  readonly targetImmediate?: boolean
  readonly targetInclusive?: string
  readonly targetTimeline?: string
  readonly targetAction?: string
}

/**
 * Adds the recovery target options shared by `pitr` and `recovery-config`: one of --target-name,
 * --target-time, --target-xid, --target-lsn, --target-immediate (none: the end of the archive), and
 * --target-inclusive, --target-timeline, --target-action. Values are checked by @tidemark/recovery.
 */
export function addRecoveryTargetOptions(command: Command): Command {
  return command
    .option('--target-name <name>', 'stop at the restore point made by pg_create_restore_point(name)')
    .option(
      '--target-time <time>',
      "stop at this time (YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM]|zone]); without a zone it is read in the server's timezone"
    )
    .option('--target-xid <xid>', 'stop at this transaction id')
    .option('--target-lsn <lsn>', 'stop at this WAL location (X/Y)')
    .option('--target-immediate', 'stop as soon as the backup is consistent (PostgreSQL only)')
    .option('--target-inclusive <bool>', 'stop just after (true, the default) or just before the target')
    .option('--target-timeline <timeline>', 'latest, current or a timeline number')
    .addOption(
      new Option('--target-action <action>', 'at the target: pause (default), promote or shutdown').choices(TARGET_ACTIONS)
    )
}

/** The recovery input of those option values (validation happens in resolveRecoverySettings). */
export function recoveryTargetInput(values: RecoveryTargetOptionValues): RecoveryInput {
  return {
    targetName: values.targetName,
    targetTime: values.targetTime,
    targetXid: values.targetXid,
    targetLsn: values.targetLsn,
    targetImmediate: values.targetImmediate,
    targetInclusive: values.targetInclusive,
    targetTimeline: values.targetTimeline,
    targetAction: values.targetAction,
  }
}
