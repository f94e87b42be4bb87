// The restore side end to end through the command line, against a real PostgreSQL 15 server and
// Debian's pg_basebackup: `tidemark verify` of a zstd tar backup, `tidemark extract` of it with a
// relocated tablespace, then `tidemark restore --start` over the stopped server.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import {
  chownTree,
  createSampleTable,
  debianTool,
  embeddedBinDir,
  missingToolMessage,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  tableDigest,
  type Cluster,
} from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli.js'
import { fakeIo } from '../testing/fake-io.js'

afterAll(stopAllClusters)

const pgBaseBackup = debianTool('pg_basebackup')

async function run(argv: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  const io = fakeIo()
  const exitCode = await runCli(argv, io)
  return { out: io.out.join(''), err: io.err.join(''), exitCode }
}

async function digests(cluster: Cluster): Promise<unknown> {
  return { base: await tableDigest(cluster, 'in_base'), tablespace: await tableDigest(cluster, 'in_ts') }
}

describe('tidemark verify, extract and restore (PostgreSQL 15)', () => {
  it('verifies a zstd tar backup, extracts it with -T, and restores it over the stopped server with --start', async (context) => {
    if (!pgBaseBackup) {
      console.warn(missingToolMessage('pg_basebackup'))
      context.skip()
      return
    }
    const cluster = await startCluster({ major: 15, tablespaces: ['ts1'] })
    await createSampleTable(cluster, 'in_base', 1500)
    await createSampleTable(cluster, 'in_ts', 700, { tablespace: 'ts1' })
    const expected = await digests(cluster)
    const backup = join(scratchDir('cli-restore-bb'), 'backup')
    const taken = spawnSync(
      pgBaseBackup,
      ['-h', cluster.host, '-p', String(cluster.port), '-U', cluster.user, '-D', backup, '-c', 'fast', '-Ft', '-Xstream', '--compress=client-zstd'],
      { encoding: 'utf8' }
    )
    expect(taken.status, taken.stderr).toBe(0)
    await cluster.query(`DELETE FROM in_base WHERE id > 1000`)

    const verified = await run(['verify', '--json', backup])
    expect(verified.exitCode, verified.err).toBe(0)
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true, format: 'tar', problems: [] })

    const work = scratchDir('cli-extract')
    const location = join(work, 'ts1')
    const extracted = await run(['extract', '-N', '-D', join(work, 'data'), '-T', `${cluster.tablespaces[0]?.location ?? ''}=${location}`, backup])
    expect(extracted.exitCode, extracted.err).toBe(0)
    expect(extracted.out).toContain(`: ${location}\n`)
    chownTree(location, serverOsUser())
    const copy = await startExistingCluster({ major: 15, dataDir: join(work, 'data') })
    expect(await digests(copy)).toEqual(expected)
    await copy.stop()

    await cluster.stop({ keepFiles: true })
    const aside = join(cluster.baseDir, 'aside')
    const restored = await run(['restore', '-N', '--backup', backup, '-D', cluster.dataDir, '--move-aside', aside, '--start', '--pg-bin', embeddedBinDir(15)])
    expect(restored.exitCode, restored.err).toBe(0)
    expect(restored.out).toContain(`the old data is kept in ${aside}`)
    expect(restored.out).toContain('the server is running')
    expect(restored.err).toContain('tidemark: step 6: the server accepts connections')
    expect(await digests(cluster)).toEqual(expected)
    await cluster.stop()
  })
})
