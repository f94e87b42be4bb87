import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { startCluster, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from './index.js'
import type { BaseBackupEvent } from './replication/base-backup.js'
import { collect } from './testing/collect.js'
import { tarFiles, tarNames } from './testing/tar-names.js'

const MB = 1024 * 1024

/** Plain TCP unless asked: the cluster also speaks TLS, for the case that reads an archive over it. */
function replicationConnection(cluster: Cluster, sslmode: 'disable' | 'require' = 'disable'): Promise<Connection> {
  return connect({ host: cluster.host, port: cluster.port, user: 'postgres', replication: true, sslmode, env: {} })
}

for (const major of testMajors()) {
  describe(`BASE_BACKUP on PostgreSQL ${major}`, () => {
    let cluster: Cluster
    beforeAll(async () => {
      cluster = await startCluster({ major, tablespaces: ['ts1'], tls: true })
      await cluster.query('CREATE TABLE small (id int, label text) TABLESPACE ts1')
      await cluster.query(`INSERT INTO small SELECT g, 'row ' || g FROM generate_series(1, 1000) g`)
    })
    afterAll(async () => {
      await cluster?.stop({ mode: 'immediate' })
    })

    it('streams every tablespace as an archive, then the manifest, between start and end', async () => {
      const connection = await replicationConnection(cluster)
      try {
        const [ts] = await cluster.query<{ oid: string }>(`SELECT oid::text FROM pg_tablespace WHERE spcname = 'ts1'`)
        const events: Array<Exclude<BaseBackupEvent['kind'], never>> = []
        const archives = new Map<string, Buffer>()
        let manifest = ''
        let start: Extract<BaseBackupEvent, { kind: 'start' }> | undefined
        let end: Extract<BaseBackupEvent, { kind: 'end' }> | undefined
        for await (const event of connection.baseBackup({ label: "it's mine", fastCheckpoint: true, manifest: 'yes', manifestChecksums: 'SHA256' })) {
          events.push(event.kind)
          if (event.kind === 'start') {
            start = event
          } else if (event.kind === 'archive') {
            archives.set(`${event.name}:${event.tablespaceOid ?? 'base'}`, await collect(event.stream))
          } else if (event.kind === 'manifest') {
            manifest = (await collect(event.stream)).toString('utf8')
          } else if (event.kind === 'end') {
            end = event
          }
        }
        expect(events[0]).toBe('start')
        expect(events.at(-1)).toBe('end')
        expect(start?.timeline).toBe(1)
        expect(start?.tablespaces.map((space) => space.oid)).toEqual([Number(ts?.oid), undefined])
        expect(start?.tablespaces[1]?.size).toBeGreaterThan(1 * MB)
        expect([...archives.keys()].sort()).toEqual([`${ts?.oid}.tar:${ts?.oid}`, 'base.tar:base'].sort())
        const baseNames = tarNames(archives.get('base.tar:base') as Buffer)
        expect(baseNames).toContain('backup_label')
        expect(baseNames).toContain('global/pg_control')
        expect(tarNames(archives.get(`${ts?.oid}.tar:${ts?.oid}`) as Buffer).some((name) => name.startsWith('PG_'))).toBe(true)
        expect(JSON.parse(manifest)['PostgreSQL-Backup-Manifest-Version']).toBeGreaterThanOrEqual(1)
        expect(end?.endLsn).toBeGreaterThanOrEqual(start?.startLsn ?? 0n)
        expect(events).toContain('progress')
        // The connection is usable again after the backup.
        expect((await connection.identifySystem()).timeline).toBe(1)
      } finally {
        await connection.close()
      }
    })

    // Over TLS there is no socket buffer to read from: the same sink gets the pieces of decoded messages.
    it.each(['disable', 'require'] as const)('hands each archive to a sink (sslmode=%s): every file matches the manifest of the same backup', async (sslmode) => {
      const applicationName = `sink-${sslmode}`
      const connection = await connect({ host: cluster.host, port: cluster.port, user: 'postgres', replication: true, sslmode, applicationName, env: {} })
      try {
        const [tls] = await cluster.query<{ ssl: string }>(
          `SELECT s.ssl::text AS ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = '${applicationName}'`
        )
        expect(tls?.ssl).toBe(sslmode === 'require' ? 'true' : 'false')
        const [ts] = await cluster.query<{ oid: string }>(`SELECT oid::text FROM pg_tablespace WHERE spcname = 'ts1'`)
        const archives = new Map<string, Buffer>()
        let manifest = ''
        for await (const event of connection.baseBackup({ fastCheckpoint: true, manifest: 'yes', manifestChecksums: 'SHA256' })) {
          if (event.kind === 'archive') {
            const pieces: Buffer[] = []
            let flushed = 0
            await event.readInto({
              // Views of the socket's buffer: copied here, as a sink must write or copy them at once.
              write: (bytes) => pieces.push(Buffer.from(bytes)),
              flush: () => {
                flushed = pieces.length
              },
            })
            expect(flushed).toBe(pieces.length)
            archives.set(event.tablespaceOid === undefined ? '' : `pg_tblspc/${event.tablespaceOid}/`, Buffer.concat(pieces))
          } else if (event.kind === 'manifest') {
            manifest = (await collect(event.stream)).toString('utf8')
          }
        }
        const listed = (JSON.parse(manifest) as { Files: Array<{ Path: string; Size: number; Checksum: string }> }).Files
        const received = new Map<string, Buffer>()
        for (const [prefix, tar] of archives) {
          for (const file of tarFiles(tar)) {
            received.set(`${prefix}${file.name}`, file.data)
          }
        }
        expect(listed.length).toBeGreaterThan(500)
        expect(listed.some((file) => file.Path.startsWith(`pg_tblspc/${ts?.oid}/`))).toBe(true)
        for (const file of listed) {
          const data = received.get(file.Path)
          expect(data, file.Path).toBeDefined()
          expect(createHash('sha256').update(data as Buffer).digest('hex'), file.Path).toBe(file.Checksum)
        }
        expect((await connection.identifySystem()).timeline).toBe(1)
      } finally {
        await connection.close()
      }
    })

    it('compresses on the server when asked (PostgreSQL 15+), and refuses it before 15', async () => {
      const connection = await replicationConnection(cluster)
      try {
        if (major < 15) {
          await expect(connection.baseBackup({ compression: { method: 'gzip' } }).next()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_UNSUPPORTED_FEATURE' })
          return
        }
        const names: string[] = []
        for await (const event of connection.baseBackup({ compression: { method: 'gzip', detail: 'level=1' } })) {
          if (event.kind === 'archive') {
            names.push(event.name)
            const bytes = await collect(event.stream)
            expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
          }
        }
        expect(names.sort()).toEqual([expect.stringMatching(/^\d+\.tar\.gz$/), 'base.tar.gz'])
      } finally {
        await connection.close()
      }
    })

    it('closes the connection when the consumer abandons the backup half-way', async () => {
      const connection = await replicationConnection(cluster)
      for await (const event of connection.baseBackup()) {
        if (event.kind === 'archive') {
          event.stream.destroy()
          break
        }
      }
      expect(connection.closed).toBe(true)
      await expect(connection.identifySystem()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_STATE' })
    })

    it('refuses to move on when an archive stream was left unread', async () => {
      const connection = await replicationConnection(cluster)
      const events = connection.baseBackup()
      expect((await events.next()).value).toMatchObject({ kind: 'start' })
      expect((await events.next()).value).toMatchObject({ kind: 'archive' })
      await expect(events.next()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_STATE' })
      expect(connection.closed).toBe(true)
    })

    it('keeps memory flat while a slow consumer reads a ~200 MB backup', async () => {
      await cluster.query('CREATE TABLE big (id int, payload text)')
      await cluster.query('ALTER TABLE big ALTER COLUMN payload SET STORAGE EXTERNAL')
      // 100 000 rows × 2 kB of uncompressed TOAST: about 200 MB on disk.
      await cluster.query(`INSERT INTO big SELECT g, repeat(md5(g::text), 64) FROM generate_series(1, 100000) g`)
      const [size] = await cluster.query<{ bytes: string }>(`SELECT pg_total_relation_size('big')::text AS bytes`)
      expect(Number(size?.bytes)).toBeGreaterThan(190 * MB)
      const connection = await replicationConnection(cluster)
      try {
        global.gc?.()
        const before = process.memoryUsage()
        let peakBuffers = 0
        let peakRss = 0
        let received = 0
        const sample = setInterval(() => {
          const now = process.memoryUsage()
          peakBuffers = Math.max(peakBuffers, now.arrayBuffers - before.arrayBuffers)
          peakRss = Math.max(peakRss, now.rss - before.rss)
        }, 20)
        try {
          for await (const event of connection.baseBackup({ fastCheckpoint: true })) {
            if (event.kind === 'archive') {
              let sinceSleep = 0
              await pipeline(event.stream, new Writable({
                write(chunk: Buffer, _encoding, callback) {
                  received += chunk.length
                  sinceSleep += chunk.length
                  if (sinceSleep >= MB) {
                    // About 100 MB/s at most: far slower than the server can send over loopback.
                    sinceSleep = 0
                    sleep(10).then(() => callback(), callback)
                  } else {
                    callback()
                  }
                },
              }))
            }
          }
        } finally {
          clearInterval(sample)
        }
        expect(received).toBeGreaterThan(190 * MB)
        expect(peakBuffers).toBeLessThan(64 * MB)
        expect(peakRss).toBeLessThan(100 * MB)
      } finally {
        await connection.close()
        await cluster.query('DROP TABLE big')
      }
    })

    /** Reads an archive; `kill` terminates the backup's connection (once) while it is read. */
    type ArchiveReader = (event: Extract<BaseBackupEvent, { kind: 'archive' }>, kill: () => Promise<unknown>) => Promise<void>
    const readers: Array<[string, ArchiveReader]> = [
      [
        'the archive stream',
        (event, kill) => {
          let killing = false
          return pipeline(event.stream, new Writable({
            write(_chunk: Buffer, _encoding, callback) {
              if (killing) {
                callback()
                return
              }
              killing = true
              kill().then(() => sleep(50)).then(() => callback(), callback)
            },
          }))
        },
      ],
      [
        'a read into a sink',
        (event, kill) =>
          event.readInto({
            write: () => void kill(),
            flush: () => undefined,
          }),
      ],
    ]
    it.each(readers)('fails %s, not a truncated success, when the connection is killed mid-backup', async (_name, read) => {
      await cluster.query('CREATE TABLE medium (id int, payload text)')
      await cluster.query('ALTER TABLE medium ALTER COLUMN payload SET STORAGE EXTERNAL')
      await cluster.query(`INSERT INTO medium SELECT g, repeat(md5(g::text), 64) FROM generate_series(1, 20000) g`)
      const connection = await connect({ host: cluster.host, port: cluster.port, user: 'postgres', replication: true, applicationName: 'doomed', env: {} })
      let killed: Promise<unknown> | undefined
      const kill = (): Promise<unknown> =>
        (killed ??= cluster.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'doomed'`))
      try {
        const run = async (): Promise<void> => {
          for await (const event of connection.baseBackup({ fastCheckpoint: true })) {
            if (event.kind === 'archive') {
              await read(event, kill)
            }
          }
        }
        await expect(run()).rejects.toMatchObject({ code: expect.stringMatching(/TIDEMARK_ERR_WIRE_(CONNECTION_LOST|SERVER)/) })
        expect(connection.closed).toBe(true)
      } finally {
        await killed
        await connection.close()
        await cluster.query('DROP TABLE medium')
      }
    })
  })
}
