import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli.js'
import { createProgram } from '../program.js'
import { fakeIo } from '../testing/fake-io.js'
import { baseBackupRequest } from './basebackup.js'

/** The parsed options of `tidemark basebackup ARGS`, as the action would see them. */
function parsed(args: string[]): Parameters<typeof baseBackupRequest>[0] {
  const program = createProgram(fakeIo())
  const command = program.commands.find((c) => c.name() === 'basebackup')
  if (!command) {
    throw new Error('no basebackup command')
  }
  command.action(() => undefined)
  program.parse(['basebackup', ...args], { from: 'user' })
  return command.opts() as Parameters<typeof baseBackupRequest>[0]
}

const request = (args: string[]) => baseBackupRequest(parsed(args), '/work', {})

describe('tidemark basebackup options', () => {
  it('has gs_basebackup defaults: plain, stream, spread, the label, sync, clean, a manifest with CRC32C', () => {
    const r = request(['-D', 'backup'])
    expect(r).toMatchObject({
      targetDir: '/work/backup',
      format: 'plain',
      walMethod: 'stream',
      checkpoint: 'spread',
      label: 'tidemark base backup',
      sync: true,
      clean: true,
      manifest: true,
      manifestChecksums: 'CRC32C',
      estimateSize: true,
      statusIntervalSeconds: 10,
      createSlot: false,
      noSlot: false,
      writeRecoveryConf: false,
    })
    expect(r.compression.method).toBe('none')
  })

  it('reads short and long forms alike', () => {
    const short = request(['-D', '/b', '-F', 't', '-X', 'f', '-z', '-c', 'fast', '-l', 'nightly', '-N', '-n', '-R', '-S', 'slot1', '-C', '-r', '1M', '-s', '5'])
    const long = request([
      '--pgdata=/b', '--format=tar', '--wal-method=fetch', '--gzip', '--checkpoint=fast', '--label=nightly', '--no-sync',
      '--no-clean', '--write-recovery-conf', '--slot=slot1', '--create-slot', '--max-rate=1M', '--status-interval=5',
    ])
    expect(short).toEqual(long)
    expect(short).toMatchObject({ format: 'tar', walMethod: 'fetch', checkpoint: 'fast', label: 'nightly', sync: false, clean: false })
    expect(short).toMatchObject({ writeRecoveryConf: true, slot: 'slot1', createSlot: true, maxRateKb: 1024, statusIntervalSeconds: 5 })
    expect(short.compression).toEqual({ location: 'client', method: 'gzip', level: undefined })
  })

  it('reads gs_basebackup spellings: -x, --xlog-method, -Z level', () => {
    expect(request(['-D', '/b', '-x']).walMethod).toBe('fetch')
    expect(request(['-D', '/b', '--xlog-method=fetch']).walMethod).toBe('fetch')
    expect(request(['-D', '/b', '-F', 'tar', '-Z', '9']).compression).toEqual({ location: 'client', method: 'gzip', level: 9 })
    expect(request(['-D', '/b', '--compress=server-zstd:5']).compression).toEqual({ location: 'server', method: 'zstd', level: 5 })
  })

  it('reads repeated -T with escapes, --no-slot, --no-manifest, --no-estimate-size and the manifest checksums', () => {
    const r = request(['-D', '/b', '-T', '/a\\=1=/b', '-T', '/c=/d', '--no-slot', '--no-manifest', '--no-estimate-size', '--manifest-checksums', 'sha256'])
    expect(r.tablespaceMappings).toEqual([
      { oldDir: '/a=1', newDir: '/b' },
      { oldDir: '/c', newDir: '/d' },
    ])
    expect(r).toMatchObject({ noSlot: true, manifest: false, estimateSize: false, manifestChecksums: 'SHA256' })
  })

  it('passes connection options on', () => {
    expect(request(['-D', '/b', '-h', '/var/run/postgresql', '-p', '5433', '-U', 'backup', '-d', 'sslmode=require']).connection).toMatchObject({
      host: '/var/run/postgresql',
      port: 5433,
      user: 'backup',
      connectionString: 'sslmode=require',
    })
  })
})

describe('tidemark basebackup refusals', () => {
  async function refused(args: string[]): Promise<{ code: number; err: string }> {
    const io = fakeIo({ cwd: tmpdir() })
    const code = await runCli(['basebackup', ...args], io)
    return { code, err: io.err.join('') }
  }

  it('needs -D or --repo, and refuses both, and -F plain with --repo', async () => {
    const none = await refused([])
    expect(none.code).toBe(2)
    expect(none.err).toMatch(/^tidemark: no target: give -D DIR, or --repo REPO \(or set TIDEMARK_REPO\).* \[TIDEMARK_ERR_CLI_USAGE\]\n$/)
    const both = await refused(['-D', '/b', '--repo', '/r'])
    expect(both.code).toBe(2)
    expect(both.err).toMatch(/^tidemark: -D and --repo cannot be used together.*\n$/)
    const plain = await refused(['--repo', '/r', '-F', 'plain'])
    expect(plain.code).toBe(2)
    expect(plain.err).toMatch(/stored as tar archives: leave out -F plain/)
  })

  it('implies tar format with --repo', () => {
    expect(request(['--repo', '/r', '-z'])).toMatchObject({ format: 'tar', targetDir: '', compression: { method: 'gzip' } })
  })

  it.each([
    [['-F', 'zip'], /invalid output format "zip"/],
    [['-X', 'copy'], /invalid WAL method "copy"/],
    [['-c', 'slow'], /argument 'slow' is invalid/],
    [['-Z', '10'], /compression level must be between 0 and 9/],
    [['-z'], /only tar mode backups can be compressed/],
    [['-T', 'relative=/x'], /old directory is not an absolute path/],
    [['-T', '/a=/b=/c'], /multiple "=" signs/],
    [['-r', '10'], /out of range/],
    [['-F', 'tar', '--waldir', '/w'], /--waldir is only allowed with plain format/],
    [['-C'], /--create-slot needs a slot name/],
    [['-S', 's', '-X', 'fetch'], /only be used with -X stream/],
  ])('refuses %j with one line and exit 2, writing nothing', async (args, message) => {
    const root = mkdtempSync(join(tmpdir(), 'tidemark-cli-bb-'))
    const { code, err } = await refused(['-D', join(root, 'new'), ...args])
    expect(code).toBe(2)
    expect(err).toMatch(message)
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(readdirSync(root)).toEqual([])
  })

  it('refuses a non-empty directory with exit 3 and leaves it alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tidemark-cli-bb-'))
    writeFileSync(join(root, 'keep'), 'x')
    const { code, err } = await refused(['-D', root, '-h', '/nonexistent'])
    expect(code).toBe(3)
    expect(err).toMatch(/exists but is not empty.*\[TIDEMARK_ERR_BACKUP_TARGET_NOT_EMPTY\]/)
    expect(readdirSync(root)).toEqual(['keep'])
  })
})
