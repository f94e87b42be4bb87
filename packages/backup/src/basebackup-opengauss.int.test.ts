// openGauss cannot run here: its dialect is checked against the protocol simulator in
// test-fixtures, which follows the reference byte for byte.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scratchDir, startOpenGaussSimulator, type OpenGaussSimulator } from '@tidemark/test-fixtures'
import { runBaseBackup } from './basebackup.js'
import type { BaseBackupOptions } from './basebackup-options.js'
import { parseCompressionSpec } from './compression-spec.js'
import { parseTablespaceMappings } from './tablespace-mapping.js'
import { backupRequest } from './testing/backup-request.js'

let simulator: OpenGaussSimulator | undefined
afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function request(targetDir: string, overrides: Partial<BaseBackupOptions>): Promise<{ options: BaseBackupOptions; sim: OpenGaussSimulator }> {
  const sim = await startOpenGaussSimulator()
  simulator = sim
  const base = backupRequest({ socketDir: sim.host, port: sim.port, password: sim.password } as never, targetDir, overrides)
  return { options: { ...base, connection: { host: sim.host, port: sim.port, user: sim.user, password: sim.password } }, sim }
}

describe('basebackup of openGauss (simulator)', () => {
  it('plain -X fetch: connects to port + 1 as gs_basebackup, relocates the absolute tablespace, keeps pg_location inside, dual-write step', async () => {
    const dir = scratchDir('og')
    const target = join(dir, 'backup')
    const tsTarget = join(dir, 'tbs_abs')
    const messages: string[] = []
    const { options, sim } = await request(target, {
      walMethod: 'fetch',
      tablespaceMappings: parseTablespaceMappings([`/srv/opengauss/tbs_abs=${tsTarget}`]),
      onMessage: (m) => messages.push(m.text),
    })
    const result = await runBaseBackup(options)
    expect(result.flavor).toBe('opengauss')
    const replicationStartups = sim.startups.filter((s) => s.parameters.replication === 'true')
    expect(replicationStartups.at(-1)).toMatchObject({ port: 'ha', parameters: { application_name: 'gs_basebackup' } })
    expect(messages).toContain(
      `INFO:  The starting position of the xlog of the full build is: ${sim.backupLsns.xlogCopyStart}. The slot minimum LSN is: ${sim.backupLsns.xlogCopyStart}.`
    )
    expect(readFileSync(join(target, 'backup_label'), 'utf8')).toMatch(/START WAL LOCATION/)
    expect(existsSync(join(target, 'global', 'pg_control'))).toBe(true)
    expect(readdirSync(join(target, 'pg_xlog')).some((name) => /^[0-9A-F]{24}$/.test(name))).toBe(true)
    expect(existsSync(join(target, 'global', 'pg_dw.build'))).toBe(true)
    expect(readlinkSync(join(target, 'pg_tblspc', '16400'))).toBe(tsTarget)
    expect(readdirSync(tsTarget).length).toBeGreaterThan(0)
    expect(existsSync(join(target, 'pg_location', 'tbs_rel'))).toBe(true)
    expect(existsSync(join(target, 'backup_manifest'))).toBe(false)
  })

  it('tar -z -X stream: gs_tar becomes POSIX tar GNU tar reads, WAL in pg_xlog.tar.gz', async () => {
    const dir = scratchDir('og')
    const target = join(dir, 'backup')
    const { options } = await request(target, { format: 'tar', walMethod: 'stream', compression: parseCompressionSpec('gzip') })
    await runBaseBackup(options)
    const names = readdirSync(target).sort()
    expect(names).toContain('base.tar.gz')
    expect(names).toContain('pg_xlog.tar.gz')
    expect(names).toContain('16400.tar.gz')
    const listing = execFileSync('tar', ['-tzf', join(target, 'base.tar.gz')]).toString()
    expect(listing).toMatch(/^backup_label$/m)
    expect(listing).toMatch(/^global\/pg_control$/m)
    expect(execFileSync('tar', ['-tzf', join(target, 'pg_xlog.tar.gz')]).toString()).toMatch(/^[0-9A-F]{24}$/m)
  })

  it('a connection dropped mid-backup fails the run and removes what it wrote', async () => {
    const dir = scratchDir('og')
    const target = join(dir, 'backup')
    const { options, sim } = await request(target, { format: 'tar', walMethod: 'fetch' })
    sim.setFaults({ dropAfterTarBytes: 50_000 })
    await expect(runBaseBackup(options)).rejects.toMatchObject({ message: expect.stringMatching(/closed/), exitCode: 4 })
    expect(existsSync(target)).toBe(false)
  })
})
