// A tiny openGauss-style backup (one gs_tar base archive) for the extract / verify / restore command
// tests, built with the simulator's gs_tar writer; and a CLI runner that keeps the output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildGsTarArchive } from '@tidemark/test-fixtures'
import { runCli } from '../cli.js'
import { fakeIo } from './fake-io.js'

export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  PG_VERSION: '9.2\n',
  'base/1/1259': 'relation pages',
  'global/pg_control': 'control file',
}

/** Writes base.tar (gs_tar) into dir and returns its path. */
export function writeSampleArchive(dir: string): string {
  const path = join(dir, 'base.tar')
  writeFileSync(
    path,
    buildGsTarArchive([
      { name: 'base', kind: 'directory' },
      { name: 'base/1', kind: 'directory' },
      { name: 'global', kind: 'directory' },
      { name: 'pg_xlog', kind: 'directory' },
      ...Object.entries(SAMPLE_FILES).map(([name, content]) => ({ name, kind: 'file' as const, content })),
    ])
  )
  return path
}

export function tempDirs(): { make(): string; removeAll(): void } {
  const made: string[] = []
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), 'tidemark-cli-restore-side-'))
      made.push(dir)
      return dir
    },
    removeAll: () => {
      for (const dir of made) {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

export async function run(argv: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  const io = fakeIo()
  const exitCode = await runCli(argv, io)
  return { out: io.out.join(''), err: io.err.join(''), exitCode }
}
