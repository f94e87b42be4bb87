// The reply to BASE_BACKUP in openGauss's order (reference §3, `SendBaseBackup`): the xloglink result,
// the INFO notice, the 1-column start LSN, the 4-column tablespace header, one CopyOut of gs_tar per
// tablespace (base last; with WAL the base stream carries the segments), the end LSN. A lazy
// generator of messages, so 16 MB WAL segments are produced chunk by chunk.
import {
  copyData,
  copyDone,
  copyOutResponse,
  errorResponse,
  int8Field,
  noticeResponse,
  oidField,
  resultSet,
  textField,
} from './backend-messages.js'
import {
  baseDirectoryEntries,
  baseTarEntries,
  estimatedSizeKb,
  historyFilesInXlog,
  tablespaceTarEntries,
  walItems,
} from './backup-content.js'
import type { BackupItem } from './backup-content.js'
import { OG_TAR_SEND_SIZE, OG_WAL_SEGMENT_SIZE } from './constants.js'
import type { SimDataDirectory } from './data-directory.js'
import { encodeGsTarHeader, gsTarEntryFrames } from './gs-tar.js'
import { formatLsn, walSegmentName } from './lsn.js'
import type { BaseBackupOptions } from './replication-command.js'
import { readWal } from './wal-source.js'
import type { WalSource } from './wal-source.js'

/**
 * One backend message of the reply; `tarBytes` counts the gs_tar bytes it carries (for fault
 * injection). `fatal` marks an ErrorResponse after which the walsender exits.
 */
export interface ReplyFrame {
  readonly message: Buffer
  readonly tarBytes: number
  readonly fatal?: true
}

export interface BackupLsns {
  /** The backup's REDO point (`START WAL LOCATION` in backup_label). */
  readonly startLsn: bigint
  readonly checkpointLsn: bigint
  /** The start result (`XlogCopyStartPtr`): min(REDO, slot restart LSNs). */
  readonly xlogCopyStartLsn: bigint
  readonly endLsn: bigint
  readonly slotMinimumLsn: bigint
  readonly disasterSlotMinimumLsn: bigint
  readonly logicalSlotMinimumLsn: bigint
}

/** `v5`: the text from v5.0.0 on (with the disaster and logical slot LSNs); `legacy`: v1–v3. */
export type NoticeStyle = 'v5' | 'legacy'

export interface BaseBackupPlan {
  readonly data: SimDataDirectory
  readonly options: BaseBackupOptions
  readonly isGsBasebackup: boolean
  readonly wal: WalSource
  readonly lsns: BackupLsns
  readonly noticeStyle: NoticeStyle
  /** `START TIME` of backup_label, e.g. `2026-11-24 15:00:00 UTC`. */
  readonly startTime: string
}

export function backupLabelText(plan: BaseBackupPlan): string {
  const { lsns } = plan
  const file = walSegmentName(plan.wal.timeline, lsns.startLsn, OG_WAL_SEGMENT_SIZE)
  return (
    `START WAL LOCATION: ${formatLsn(lsns.startLsn)} (file ${file})\n` +
    `CHECKPOINT LOCATION: ${formatLsn(lsns.checkpointLsn)}\n` +
    `BACKUP METHOD: streamed\n` +
    `BACKUP FROM: master\n` +
    `START TIME: ${plan.startTime}\n` +
    `LABEL: ${plan.options.label}\n`
  )
}

/** The INFO notice text of `perform_base_backup`. */
export function fullBuildNoticeText(lsns: BackupLsns, style: NoticeStyle): string {
  const head =
    `The starting position of the xlog copy of the full build is: ${formatLsn(lsns.xlogCopyStartLsn)}. ` +
    `The slot minimum LSN is: ${formatLsn(lsns.slotMinimumLsn)}.`
  if (style === 'legacy') {
    return head
  }
  return (
    `${head} The disaster slot minimum LSN is: ${formatLsn(lsns.disasterSlotMinimumLsn)}. ` +
    `The logical slot minimum LSN is: ${formatLsn(lsns.logicalSlotMinimumLsn)}.`
  )
}

const plain = (message: Buffer): ReplyFrame => ({ message, tarBytes: 0 })
const tar = (payload: Buffer): ReplyFrame => ({ message: copyData(payload), tarBytes: payload.length })

function* itemFrames(item: BackupItem, wal: WalSource): Generator<ReplyFrame> {
  if ('entry' in item) {
    for (const frame of gsTarEntryFrames(item.entry)) {
      yield tar(frame)
    }
    return
  }
  const segment = item.walSegment
  const name = `pg_xlog/${segment.name}`
  yield tar(encodeGsTarHeader({ name, kind: 'file' }, OG_WAL_SEGMENT_SIZE))
  // A segment is a multiple of 512 bytes: no padding.
  for (let offset = 0; offset < OG_WAL_SEGMENT_SIZE; offset += OG_TAR_SEND_SIZE) {
    yield tar(readWal(wal, segment.startLsn + BigInt(offset), OG_TAR_SEND_SIZE))
  }
}

/** Every message of the reply up to the end-LSN result (the caller adds CommandComplete and ReadyForQuery). */
export function* baseBackupReply(plan: BaseBackupPlan): Generator<ReplyFrame> {
  const { data, options, lsns } = plan
  // 1. xloglink: the pg_xlog symlink target, or the literal "data/pg_xlog".
  for (const message of resultSet([textField('xloglink')], [[data.xlogLinkTarget ?? 'data/pg_xlog']])) {
    yield plain(message)
  }
  // 2. The INFO notice, after the start-of-backup checkpoint.
  yield plain(
    noticeResponse({
      severity: 'INFO',
      code: '00000',
      message: fullBuildNoticeText(lsns, plan.noticeStyle),
      file: 'basebackup.cpp',
      routine: 'perform_base_backup',
    })
  )
  // 3. The start position: one text column, no timeline.
  for (const message of resultSet([textField('recptr')], [[formatLsn(lsns.xlogCopyStartLsn)]])) {
    yield plain(message)
  }
  // 4. The tablespace header: tablespaces first, the base directory last with NULL oid and location.
  const content = {
    backupLabel: backupLabelText(plan),
    tablespaceMap: options.tablespaceMap,
    isGsBasebackup: plan.isGsBasebackup,
    timeline: plan.wal.timeline,
  }
  const base = baseTarEntries(data, content)
  const sizeOf = (kb: number): string | null => (options.progress ? String(kb) : null)
  const rows = data.tablespaces.map((t) => [
    String(t.oid),
    t.location,
    sizeOf(estimatedSizeKb(tablespaceTarEntries(t))),
    t.relative ? '1' : null,
  ])
  // The server's own estimate (sendDir sizeonly) covers the directory walk only.
  const baseEstimate = estimatedSizeKb(baseDirectoryEntries(data, content))
  rows.push([null, null, sizeOf(baseEstimate), null])
  const header = [oidField('spcoid'), textField('spclocation'), int8Field('size'), int8Field('relative')]
  for (const message of resultSet(header, rows)) {
    yield plain(message)
  }
  // 5. One CopyOut per tablespace, in the header's order.
  for (const tablespace of data.tablespaces) {
    yield plain(copyOutResponse())
    for (const entry of tablespaceTarEntries(tablespace)) {
      yield* itemFrames({ entry }, plan.wal)
    }
    yield plain(copyDone())
  }
  yield plain(copyOutResponse())
  for (const entry of base) {
    yield* itemFrames({ entry }, plan.wal)
  }
  if (options.wal) {
    for (const item of walItems(plan.wal.timeline, lsns.xlogCopyStartLsn, lsns.endLsn)) {
      yield* itemFrames(item, plan.wal)
    }
    const [history] = historyFilesInXlog(data)
    if (history !== undefined) {
      // basebackup.cpp lstat()s history files as "/%s" (the root directory), so this fails
      // whenever pg_xlog holds one (reference §8.3). The ERROR is promoted to FATAL in a walsender.
      yield {
        message: errorResponse({
          severity: 'FATAL',
          code: '58P01',
          message: `could not stat file "/${history}": No such file or directory`,
          file: 'basebackup.cpp',
          routine: 'perform_base_backup',
        }),
        tarBytes: 0,
        fatal: true,
      }
      return
    }
  }
  yield plain(copyDone())
  // 6. The end position.
  for (const message of resultSet([textField('recptr')], [[formatLsn(lsns.endLsn)]])) {
    yield plain(message)
  }
}
