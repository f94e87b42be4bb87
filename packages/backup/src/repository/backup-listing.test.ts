import { rm } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { backupRecord, history, lsnIn, seg, segs } from '../testing/synthetic-catalog.js'
import { syntheticRepository, type SyntheticRepository } from '../testing/synthetic-repository.js'
import { listBackups } from './backup-listing.js'

let repository: SyntheticRepository | undefined
afterEach(async () => {
  await rm(repository?.root ?? '', { recursive: true, force: true })
})

describe('listBackups', () => {
  it("reads the repository's history files to follow a switch, and lists unfinished backups apart", async () => {
    repository = await syntheticRepository()
    const backup = backupRecord('20261124T100000Z-aaaaaa', 2, 3, '2026-11-24T10:00:00Z')
    await repository.addBackup(backup)
    await repository.backups.putFile('20261124T110000Z-bbbbbb', 'base.tar', Buffer.from('running'))
    await repository.archive([...segs(1, 2, 4), ...segs(2, 5, 6)], { 2: history([{ timeline: 1, at: 5 }]) })
    const listing = await listBackups(repository.backups, repository.wal)
    expect(listing.walIdentity?.systemIdentifier).toBe(backup.systemIdentifier)
    expect(listing.backups).toEqual([
      {
        record: backup,
        wal: expect.objectContaining({ consistent: true, timelines: [1, 2], recoverableTo: { lsn: lsnIn(7, 0), segment: seg(2, 6), timeline: 2 } }),
      },
    ])
    expect(listing.unfinished).toEqual([{ id: '20261124T110000Z-bbbbbb', bytes: 7, lastActivity: expect.any(Date) }])
  })

  it("counts none of another system's WAL for a backup and says whose it is", async () => {
    repository = await syntheticRepository('1')
    await repository.addBackup(backupRecord('20261124T100000Z-aaaaaa', 2, 3, '2026-11-24T10:00:00Z'))
    await repository.archive(segs(1, 1, 6))
    const [listed] = (await listBackups(repository.backups, repository.wal)).backups
    expect(listed?.walSystemIdentifier).toBe('1')
    expect(listed?.wal).toMatchObject({ consistent: false, missing: segs(1, 2, 3), recoverableTo: undefined })
  })
})
