import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SUPPORTED_MAJORS, startExistingCluster, stopAllClusters, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { detectServer, readExistingFiles } from './data-dir.js'
import { readPostgresRecovery } from './read-recovery.js'
import { resolveRecoverySettings, type RecoveryInput } from './resolve-settings.js'
import { commandWord } from './shell-quote.js'
import { restorePointCopy, waitUntil } from './testing/restore-point-copy.js'
import { writeRecoveryConfig } from './write-recovery-config.js'

afterAll(stopAllClusters)

// Every major once: the suite's majors (13 and 18 by default) promote at the target, the others pause.
const promoting = new Set(testMajors())

async function setting(cluster: Cluster, name: string): Promise<string> {
  const [row] = await cluster.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name])
  return row?.value ?? ''
}

async function single<T>(cluster: Cluster, sql: string): Promise<T> {
  const [row] = await cluster.query<{ value: T }>(sql)
  return row?.value as T
}

describe.each(SUPPORTED_MAJORS)('recovery configuration on PostgreSQL %i', (major) => {
  const action = promoting.has(major) ? 'promote' : 'pause'

  it(`is read by the server: restore_command from an archive path with a space and a quote, user settings kept and overridden, name target, ${action}`, async () => {
    const copy = await restorePointCopy(major)
    const server = detectServer(copy.dataDir)
    expect(server).toEqual({ flavor: 'postgresql', major })
    // The archive path has a space and a quote; the shell comment holds a quote and a backslash, so the
    // value only survives if the configuration-file quoting is exactly what the server's parser expects.
    const restoreCommand = `cp ${commandWord(copy.archiveDir)}/%f %p # tidemark's \\ check`
    expect(restoreCommand).toContain("'\\''")
    // Recovery settings the user left elsewhere: the managed block must win over both.
    appendFileSync(join(copy.dataDir, 'postgresql.auto.conf'), "recovery_target_xid = '12345'\nrecovery_target_inclusive = 'off'\n")
    appendFileSync(join(copy.dataDir, 'postgresql.conf'), "recovery_target_lsn = '0/1'\nrecovery_target_action = 'shutdown'\n")
    const userPart = readExistingFiles(copy.dataDir).autoConf ?? ''
    expect(userPart).toContain("work_mem = '7MB'")

    // A first render with another target, then the real one: the second replaces the first block.
    const first = resolveRecoverySettings({ restoreCommand: 'false', targetXid: '999999', targetAction: 'shutdown' }, server)
    writeRecoveryConfig({ dataDir: copy.dataDir, server, settings: first.settings })
    const second = resolveRecoverySettings(
      { restoreCommand, targetName: copy.restorePoint, targetAction: action },
      server
    )
    writeRecoveryConfig({ dataDir: copy.dataDir, server, settings: second.settings })
    const autoConf = readFileSync(join(copy.dataDir, 'postgresql.auto.conf'), 'utf8')
    expect(autoConf.startsWith(userPart)).toBe(true)
    expect(autoConf.match(/# BEGIN tidemark recovery/g)).toHaveLength(1)
    expect(readPostgresRecovery({ autoConf }).settings).toMatchObject(second.settings)
    // Written as root, the files still belong to the data directory's owner.
    expect(statSync(join(copy.dataDir, 'recovery.signal')).uid).toBe(statSync(copy.dataDir).uid)

    const cluster = await startExistingCluster({ major, dataDir: copy.dataDir, removeOnStop: true })
    try {
      if (action === 'promote') {
        await waitUntil('promotion', async () => !(await single<boolean>(cluster, 'SELECT pg_is_in_recovery() AS value')))
      } else {
        await waitUntil('pause at the target', () => single<boolean>(cluster, 'SELECT pg_is_wal_replay_paused() AS value'))
        expect(await single<boolean>(cluster, 'SELECT pg_is_in_recovery() AS value')).toBe(true)
      }
      expect(await setting(cluster, 'recovery_target_action')).toBe(action)
      expect(await setting(cluster, 'recovery_target_name')).toBe(copy.restorePoint)
      expect(await setting(cluster, 'recovery_target_xid')).toBe('')
      expect(await setting(cluster, 'recovery_target_lsn')).toBe('')
      expect(await setting(cluster, 'recovery_target_inclusive')).toBe('on')
      expect(await setting(cluster, 'restore_command')).toBe(restoreCommand)
      expect(await setting(cluster, 'work_mem')).toBe('7MB')
      expect(Number(await single<string>(cluster, 'SELECT count(*)::text AS value FROM t'))).toBe(copy.rowsAtRestorePoint)
      const log = readFileSync(cluster.logFile, 'utf8')
      expect(log).toContain(`starting point-in-time recovery to "${copy.restorePoint}"`)
      expect(log).toContain(`recovery stopping at restore point "${copy.restorePoint}"`)
      expect(log).toMatch(/restored log file "0000000100000000000000\d\d" from archive/)
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.logTail(40)}`, { cause: error })
    } finally {
      await cluster.stop()
    }
  })
})

describe.each(testMajors())('each target kind on PostgreSQL %i', (major) => {
  it('lands exactly: immediate, xid (not) inclusive, LSN, end of WAL, each on the current timeline', async () => {
    const source = await restorePointCopy(major)
    const server = { flavor: 'postgresql', major } as const
    const restoreCommand = `cp ${commandWord(source.archiveDir)}/%f %p`
    const cases: Array<readonly [string, RecoveryInput, number]> = [
      ['immediate', { targetImmediate: true }, 5],
      ['xid, not inclusive', { targetXid: source.lastXid, targetInclusive: 'false' }, 10],
      ['xid, inclusive', { targetXid: source.lastXid }, 15],
      ['lsn', { targetLsn: source.lsnAfterRestorePoint }, 10],
      ['end of WAL', {}, 15],
    ]
    for (const [what, target, rows] of cases) {
      const dataDir = `${source.dataDir}-${what.replace(/\W+/g, '-')}`
      execFileSync('cp', ['-a', source.dataDir, dataDir])
      // Each promotion archives a new timeline's history into the shared archive: stay on the backup's timeline.
      const { settings } = resolveRecoverySettings(
        { restoreCommand, targetAction: 'promote', targetTimeline: 'current', ...target },
        server
      )
      writeRecoveryConfig({ dataDir, server, settings })
      const cluster = await startExistingCluster({ major, dataDir, removeOnStop: true })
      try {
        await waitUntil('promotion', async () => !(await single<boolean>(cluster, 'SELECT pg_is_in_recovery() AS value')))
        const count = Number(await single<string>(cluster, 'SELECT count(*)::text AS value FROM t'))
        expect(`${what}: ${count} rows`).toBe(`${what}: ${rows} rows`)
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}\n${cluster.logTail(30)}`, { cause: error })
      } finally {
        await cluster.stop()
      }
    }
  })
})
