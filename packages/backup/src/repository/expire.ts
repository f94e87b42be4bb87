// `tidemark expire`: carries out planExpire over a repository. Order matters for a crash part-way: the
// records of the expired backups go first (they stop being listed, so nothing picks them), then their
// files and those of dead unfinished backups, then the WAL; no listed backup ever lacks a file.
import { DEFAULT_SEGMENT_SIZE, type WalRepository } from '@tidemark/wal'
import type { BackupRepository } from './backup-repository.js'
import { planExpire, type ExpirePlan, type RetentionPolicy, type UnfinishedBackup } from './expire-plan.js'
import { readUnfinishedBackups } from './unfinished-backups.js'

export interface ExpireOptions {
  readonly backups: BackupRepository
  readonly wal: WalRepository
  readonly policy: RetentionPolicy
  /** Decide and report, change nothing. */
  readonly dryRun?: boolean | undefined
  readonly now?: Date | undefined
  /** How long an unfinished backup is left alone (default DEFAULT_UNFINISHED_GRACE_MS). */
  readonly unfinishedGraceMs?: number | undefined
  /** One line per step. */
  readonly onMessage?: ((text: string) => void) | undefined
  /** Stops between removals (what is removed by then stays removed, in the safe order). */
  readonly signal?: AbortSignal | undefined
}

export interface ExpireResult extends ExpirePlan {
  readonly dryRun: boolean
  /** Bytes of the removed backups' objects (finished and unfinished). */
  readonly removedBackupBytes: number
}

/** Plans and (unless dryRun) removes; see the file comment. */
export async function expireRepository(options: ExpireOptions): Promise<ExpireResult> {
  const { backups, wal, signal } = options
  const deleteKeys = async (keys: readonly string[]): Promise<void> => {
    signal?.throwIfAborted()
    await backups.storage.delete(keys, signal ? { signal } : {})
  }
  const identity = await wal.readIdentity()
  const plan = planExpire({
    records: await backups.list(),
    unfinished: await readUnfinishedBackups(backups),
    walNames: identity ? await wal.list() : [],
    segmentSize: identity?.segmentSize ?? DEFAULT_SEGMENT_SIZE,
    walSystemIdentifier: identity?.systemIdentifier,
    policy: options.policy,
    now: options.now ?? new Date(),
    unfinishedGraceMs: options.unfinishedGraceMs,
  })
  const dryRun = options.dryRun === true
  let removedBackupBytes = plan.unfinishedRemoved.reduce((sum, backup) => sum + backup.bytes, 0)
  const expiredObjects = new Map<string, string[]>()
  for (const record of plan.expired) {
    const objects = await backups.objects(record.id)
    removedBackupBytes += objects.reduce((sum, object) => sum + object.size, 0)
    expiredObjects.set(record.id, objects.map((object) => object.key))
  }
  if (dryRun) {
    return { ...plan, dryRun, removedBackupBytes }
  }
  if (plan.expired.length > 0) {
    await deleteKeys(plan.expired.map((record) => backups.recordKey(record.id)))
    options.onMessage?.(`removed the records of ${plan.expired.length} backup(s)`)
  }
  for (const record of plan.expired) {
    await deleteKeys(expiredObjects.get(record.id) ?? [])
    // Anything written under the id since it was listed goes too: the backup is no more.
    await deleteKeys((await backups.objects(record.id)).map((object) => object.key))
    options.onMessage?.(`removed the files of backup ${record.id}`)
  }
  const unfinishedRemoved: UnfinishedBackup[] = []
  for (const unfinished of plan.unfinishedRemoved) {
    // A backup that finished since the plan was made is kept.
    if (await backups.storage.head(backups.recordKey(unfinished.id))) {
      removedBackupBytes -= unfinished.bytes
      continue
    }
    await deleteKeys((await backups.objects(unfinished.id)).map((object) => object.key))
    unfinishedRemoved.push(unfinished)
    options.onMessage?.(`removed unfinished backup ${unfinished.id}`)
  }
  for (const name of plan.walRemoved) {
    signal?.throwIfAborted()
    await wal.remove(name)
  }
  if (plan.walRemoved.length > 0) {
    options.onMessage?.(`removed ${plan.walRemoved.length} WAL file(s) before ${plan.walKeptFrom ?? ''}`)
  }
  return { ...plan, unfinishedRemoved, dryRun, removedBackupBytes }
}
