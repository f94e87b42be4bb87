import { rm } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { backupRecord, history, seg, segs } from '../testing/synthetic-catalog.js'
import { syntheticRepository, type SyntheticRepository } from '../testing/synthetic-repository.js'
import { expireRepository } from './expire.js'

let repository: SyntheticRepository | undefined
afterEach(async () => {
  await rm(repository?.root ?? '', { recursive: true, force: true })
})

const a = backupRecord('20261120T100000Z-aaaaaa', 2, 3, '2026-11-20T10:00:00Z')
const b = backupRecord('20261122T100000Z-bbbbbb', 6, 7, '2026-11-22T10:00:00Z')
const now = new Date('2026-11-24T12:00:00Z')

async function filled(): Promise<SyntheticRepository> {
  const made = await syntheticRepository()
  await made.addBackup(a)
  await made.addBackup(b)
  // Unfinished: one written an hour ago (may be running), one dead for days.
  await made.backups.putFile('20261124T110000Z-cccccc', 'base.tar', Buffer.from('running'))
  await made.backups.putFile('20261101T100000Z-dddddd', 'base.tar', Buffer.from('dead'))
  await made.archive([...segs(1, 1, 8), `${seg(1, 2)}.00000028.backup`, `${seg(1, 6)}.00000028.backup`], { 2: history([{ timeline: 1, at: 1 }]) })
  return made
}

describe('expireRepository', () => {
  it('with dryRun reports what would go and changes nothing', async () => {
    repository = await filled()
    const before = { ids: await repository.backups.ids(), wal: await repository.wal.list() }
    const result = await expireRepository({ backups: repository.backups, wal: repository.wal, policy: { retainFull: 1 }, dryRun: true, now })
    expect(result.expired.map((record) => record.id)).toEqual([a.id])
    expect(result.walRemoved).toEqual([...segs(1, 1, 5), `${seg(1, 2)}.00000028.backup`].sort())
    expect(result.removedBackupBytes).toBeGreaterThan(0)
    expect({ ids: await repository.backups.ids(), wal: await repository.wal.list() }).toEqual(before)
  })

  it('removes the expired backup, unfinished ones past the grace period and the WAL before the kept start; keeps histories', async () => {
    repository = await filled()
    const messages: string[] = []
    const result = await expireRepository({
      backups: repository.backups,
      wal: repository.wal,
      policy: { retainFull: 1 },
      now: new Date(Date.now() + 2 * 3600 * 1000),
      unfinishedGraceMs: 3600 * 1000,
      onMessage: (text) => messages.push(text),
    })
    expect(result.kept.map((record) => record.id)).toEqual([b.id])
    expect(result.unfinishedRemoved.map((backup) => backup.id)).toEqual(['20261101T100000Z-dddddd', '20261124T110000Z-cccccc'])
    expect(await repository.backups.ids()).toEqual([b.id])
    expect(await repository.wal.list()).toEqual([...segs(1, 6, 8), `${seg(1, 6)}.00000028.backup`, '00000002.history'].sort())
    expect(messages[0]).toBe('removed the records of 1 backup(s)')
  })

  // Their files were written just now, whatever their ids say: the default grace period (24 h) holds.
  it('leaves an unfinished backup written within the grace period alone', async () => {
    repository = await filled()
    const result = await expireRepository({ backups: repository.backups, wal: repository.wal, policy: { retainFull: 2 } })
    expect(result.expired).toEqual([])
    expect(result.unfinishedKept.map((backup) => backup.id)).toEqual(['20261101T100000Z-dddddd', '20261124T110000Z-cccccc'])
    expect(await repository.backups.unfinished()).toEqual(['20261101T100000Z-dddddd', '20261124T110000Z-cccccc'])
    expect(result.walKeptFrom).toBe(seg(1, 2))
    expect(await repository.wal.list()).not.toContain(seg(1, 1))
  })

  it('stops at an aborted signal before the first removal', async () => {
    repository = await filled()
    const before = { ids: await repository.backups.ids(), wal: await repository.wal.list() }
    const controller = new AbortController()
    controller.abort(new Error('interrupted'))
    await expect(expireRepository({ backups: repository.backups, wal: repository.wal, policy: { retainFull: 1 }, signal: controller.signal })).rejects.toThrow('interrupted')
    expect({ ids: await repository.backups.ids(), wal: await repository.wal.list() }).toEqual(before)
    expect((await repository.backups.list()).map((record) => record.id)).toEqual([a.id, b.id])
  })
})
