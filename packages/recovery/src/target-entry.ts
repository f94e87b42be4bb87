import type { RecoveryTarget } from './recovery-settings.js'

/** The one configuration key and value a recovery target is written as (both flavors use these names). */
export function targetEntry(target: RecoveryTarget | undefined): readonly [string, string] | undefined {
  switch (target?.kind) {
    case undefined:
      return undefined
    case 'immediate':
      return ['recovery_target', 'immediate']
    case 'name':
      return ['recovery_target_name', target.name]
    case 'time':
      return ['recovery_target_time', target.time]
    case 'xid':
      return ['recovery_target_xid', target.xid]
    case 'lsn':
      return ['recovery_target_lsn', target.lsn]
  }
}
