// `tidemark-wal cleanup` against PostgreSQL's own pg_archivecleanup (Debian's, PostgreSQL 15) on the
// same set of names: both must choose exactly the same files. (pg_archivecleanup ignores timelines;
// the names here stay on %r's timeline and earlier ones, where both agree by design.)
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEBIAN_MAJOR, debianBinDir, scratchDir } from '@tidemark/test-fixtures'
import { DirectoryWalRepository } from '@tidemark/wal'
import { buildBundle, runBin } from './testing/wal-server.js'

const NAMES = [
  '000000010000000000000001',
  '000000010000000000000002',
  '000000010000000000000002.00000028.backup',
  '0000000100000000000000FF',
  '000000010000000100000000',
  '000000010000000100000003.partial',
  '00000002.history',
  '000000020000000100000003',
  '000000020000000100000004',
  '000000020000000100000004.00000060.backup',
  '000000020000000100000005',
]
const OLDEST = ['000000020000000100000004', '000000020000000100000003', '000000020000000000000002', '000000020000000100000004.00000060.backup', '000000020000000100000005.partial']

beforeAll(() => buildBundle())

describe('tidemark-wal cleanup', () => {
  it('removes what pg_archivecleanup removes', async (context) => {
    const tool = join(debianBinDir(DEBIAN_MAJOR), 'pg_archivecleanup')
    if (!existsSync(tool)) {
      console.warn(`skipped: Debian's pg_archivecleanup (PostgreSQL ${DEBIAN_MAJOR}) is not installed`)
      context.skip()
      return
    }
    const plain = scratchDir('archivecleanup')
    const repo = join(scratchDir('wal-repo'), 'repo')
    mkdirSync(repo)
    for (const name of NAMES) {
      writeFileSync(join(plain, name), '')
    }
    // Stored directly: these stand-in segments would not pass push's page-header checks.
    const repository = new DirectoryWalRepository(repo)
    for (const name of NAMES) {
      await repository.putIfAbsent(name, { sha256: '0'.repeat(64), size: 1, compression: 'none' }, Buffer.from('x'))
    }
    for (const oldest of OLDEST) {
      const theirs = execFileSync(tool, ['-n', plain, oldest], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((path) => path.slice(plain.length + 1))
        .sort()
      const ours = await runBin(['cleanup', '--repo', repo, '-n', oldest])
      expect(ours.code).toBe(0)
      expect({ oldest, removed: ours.stdout.split('\n').filter(Boolean).sort() }).toEqual({ oldest, removed: theirs })
    }
  })
})
