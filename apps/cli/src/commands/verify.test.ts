import { afterAll, describe, expect, it } from 'vitest'
import { run, tempDirs, writeSampleArchive } from '../testing/restore-side.js'

const dirs = tempDirs()
afterAll(() => dirs.removeAll())

describe('tidemark verify', () => {
  it('names each problem with its file and exits 4 when the backup is not clean', async () => {
    const dir = dirs.make()
    writeSampleArchive(dir)
    const result = await run(['verify', dir])
    expect(result.out).toBe('manifest: backup_manifest: the backup has no backup_manifest: its files cannot be verified\n')
    expect(result.err).toMatch(/^tidemark: .*: 1 problem\(s\) found; the backup is not usable as it is \[TIDEMARK_ERR_BACKUP_VERIFY_FAILED\]\n$/)
    expect(result.exitCode).toBe(4)
  })

  it('prints the structured result with --json', async () => {
    const dir = dirs.make()
    writeSampleArchive(dir)
    const result = await run(['verify', '--json', dir])
    const parsed = JSON.parse(result.out) as { ok: boolean; format: string; problems: Array<{ kind: string; file: string }> }
    expect(parsed).toMatchObject({ ok: false, format: 'tar', problems: [{ kind: 'manifest', file: 'backup_manifest' }] })
    expect(result.exitCode).toBe(4)
  })

  it('exits 1 when the backup does not exist', async () => {
    const result = await run(['verify', '/nonexistent/tidemark/backup'])
    expect(result.exitCode).toBe(1)
    expect(result.err).toContain('[TIDEMARK_ERR_BACKUP_SOURCE]')
  })
})
