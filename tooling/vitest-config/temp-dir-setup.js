// vitest globalSetup of every unit project: the tests' temporary files (mkdtemp under os.tmpdir())
// go to one directory of this run, removed at its end whatever the tests did.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  const previous = process.env.TMPDIR
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-unit-'))
  // Workers start after the global setup and inherit it: tmpdir() then answers this directory.
  process.env.TMPDIR = dir
  return () => {
    rmSync(dir, { recursive: true, force: true })
    if (previous === undefined) {
      delete process.env.TMPDIR
    } else {
      process.env.TMPDIR = previous
    }
  }
}
