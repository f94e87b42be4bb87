import { describe, expect, it } from 'vitest'
import { DEFAULTS } from './args.js'
import { renderDocsPage } from './docs-page.js'
import type { RunRecord } from './run-record.js'
import { resultOf } from './testing/results.js'

const record: RunRecord = {
  startedAt: '2026-11-24T15:00:00.000Z',
  finishedAt: '2026-11-24T15:30:00.000Z',
  options: { ...DEFAULTS, rounds: 1, scale: 1, randomMb: 20 },
  machine: {
    cpu: 'Intel(R) Xeon(R) Processor',
    cores: 2,
    memory: '23.5 GiB',
    disk: '/dev/vda (ext4), 252G, 76G free',
    os: 'Debian GNU/Linux 12 (bookworm)',
    kernel: '6.1.0',
    node: 'v20.20.2',
    commit: 'abc1234',
    load: '0.10 at start, 0.20 at end (1-minute load average)',
  },
  tools: {
    tidemark: { path: '/b/tidemark', version: '0.1.0' },
    'tidemark-wal': { path: '/b/tidemark-wal', version: '0.1.0' },
    pg_basebackup: { path: '/pg/pg_basebackup', version: 'pg_basebackup (PostgreSQL) 15.18' },
    pgbackrest: { path: 'pgbackrest', missing: 'pgbackrest is not installed' },
    dd: { path: '/usr/bin/dd' },
    cp: { path: '/usr/bin/cp' },
    node: { path: '/usr/bin/node', version: 'v20.20.2' },
  },
  server: 'postgres (PostgreSQL) 15.18',
  databaseBytes: 58 * 1024 * 1024,
  segments: 30,
  results: [resultOf({ id: 'pg', label: 'pg_basebackup -Fp -N' }, [1.5])],
}

describe('renderDocsPage', () => {
  it('records the machine, the versions and the command line of the run', () => {
    const page = renderDocsPage(record)
    expect(page).toContain('| CPU | Intel(R) Xeon(R) Processor, 2 cores |')
    expect(page).toContain('| database | 58 MB (pgbench scale 1 + 20 MB random bytes) |')
    expect(page).toContain('| pg_basebackup | pg_basebackup (PostgreSQL) 15.18 |')
    expect(page).toContain('| pgbackrest | missing: pgbackrest is not installed |')
    expect(page).toContain('`npm run bench -- --rounds 1 --scale 1 --random-mb 20 --segments 30 --prefetch 8`')
  })

  it('marks a run of fewer than 5 rounds as a smoke run, and not a full one', () => {
    expect(renderDocsPage(record)).toContain('**Smoke run (1 round): not figures to quote.**')
    expect(renderDocsPage({ ...record, options: DEFAULTS })).not.toContain('Smoke run')
  })

  it('ends with the results table', () => {
    expect(renderDocsPage(record)).toContain('| pg_basebackup -Fp -N | 1.50 | 1.50–1.50 |')
  })
})
