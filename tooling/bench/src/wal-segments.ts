import { copyFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { chownTree, type OsUser } from '@tidemark/test-fixtures'
import type { BenchServer } from './bench-server.js'

export interface Segment {
  readonly name: string
  readonly path: string
  readonly bytes: number
}

const SEGMENT_NAME = /^[0-9A-F]{24}$/

/** The complete segments the server archived into dir, oldest first. */
export function archivedSegmentNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => SEGMENT_NAME.test(name))
    .sort()
}

async function waitForArchiver(server: BenchServer): Promise<void> {
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    const ready = Number(await server.psql(`select count(*) from pg_ls_archive_statusdir() where name like '%.ready'`))
    if (ready === 0) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the archiver did not catch up in 5 minutes:\n${server.logTail()}`)
}

/**
 * Makes sure the server has archived at least count real segments into collectDir (writing more
 * WAL, md5 text rows, when the data load alone did not), and copies the oldest count of them into
 * segmentDir: the %p of the archive_command cases.
 */
export async function realSegments(
  server: BenchServer,
  collectDir: string,
  segmentDir: string,
  count: number,
  user: OsUser
): Promise<Segment[]> {
  await server.psql('create table if not exists bench_walfill (id bigint, t text)')
  for (;;) {
    await server.psql('select pg_switch_wal()')
    await waitForArchiver(server)
    if (archivedSegmentNames(collectDir).length >= count) {
      break
    }
    await server.psql(`insert into bench_walfill select g, md5(g::text) || md5((g * 7)::text) from generate_series(1, 250000) g`, 600_000)
  }
  // The filler only had to produce WAL: the backups must copy the database asked for, not it.
  await server.psql('drop table bench_walfill')
  await server.psql('checkpoint')
  const segments = archivedSegmentNames(collectDir)
    .slice(0, count)
    .map((name) => {
      const path = join(segmentDir, name)
      copyFileSync(join(collectDir, name), path)
      return { name, path, bytes: statSync(path).size }
    })
  chownTree(segmentDir, user)
  return segments
}
