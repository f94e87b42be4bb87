import { join } from 'node:path'

export interface PgbackrestLayout {
  readonly config: string
  readonly repo: string
  readonly text: string
}

/** The pgbackrest.conf of the run: one stanza 'bench', a posix repo in the scratch directory, process-max 2. */
export function pgbackrestLayout(dir: string, server: { dataDir: string; port: number; socketDir: string }): PgbackrestLayout {
  const repo = join(dir, 'repo')
  const text = [
    '[global]',
    `repo1-path=${repo}`,
    // Every full backup of the run is kept: expiring one inside a timed backup would distort it.
    'repo1-retention-full=9999',
    'process-max=2',
    'start-fast=y',
    'log-level-console=warn',
    'log-level-stderr=off',
    'log-level-file=off',
    `log-path=${join(dir, 'log')}`,
    `lock-path=${join(dir, 'lock')}`,
    `spool-path=${join(dir, 'spool')}`,
    '',
    '[bench]',
    `pg1-path=${server.dataDir}`,
    `pg1-port=${server.port}`,
    `pg1-socket-path=${server.socketDir}`,
    'pg1-user=postgres',
    '',
  ].join('\n')
  return { config: join(dir, 'pgbackrest.conf'), repo, text }
}
