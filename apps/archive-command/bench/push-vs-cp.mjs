// Start-up and per-call cost of `tidemark-wal push` / `get` against `cp`, the way archive_command
// runs them: one process per 16 MB segment. Usage: node bench/push-vs-cp.mjs SEGMENT [RUNS]
// SEGMENT is a real 16 MB segment named 000000010000000000000001 (e.g. copied from a fresh initdb's
// pg_wal). Wall time is min / median of RUNS; CPU is user+sys (GNU time), steadier on a busy host.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../bin/tidemark-wal.js', import.meta.url))
const NAME = '000000010000000000000001'
const [segmentArg, runsArg] = process.argv.slice(2)
if (!segmentArg) {
  console.error('usage: node bench/push-vs-cp.mjs SEGMENT [RUNS]')
  process.exit(2)
}
const runs = Number(runsArg ?? 20)
const work = mkdtempSync(join(tmpdir(), 'tidemark-wal-bench-'))
const segment = join(work, NAME)
copyFileSync(segmentArg, segment)
const node = process.execPath
const cases = [
  ['cp', (i) => ['cp', [segment, join(work, `cp-${i}`)]]],
  ['cp + sync (durable)', (i) => ['sh', ['-c', `cp ${segment} ${work}/cps-${i} && sync ${work}/cps-${i}`]]],
  ['node -e ""', () => [node, ['-e', '']]],
  ['tidemark-wal --version', () => [node, [BIN, '--version']]],
  ['tidemark-wal push (new)', (i) => [node, [BIN, 'push', '--repo', join(work, `r-${i}`), segment, NAME]]],
  ['tidemark-wal push (identical again)', () => [node, [BIN, 'push', '--repo', join(work, 'r-0'), segment, NAME]]],
  ['tidemark-wal push --compress lz4', (i) => [node, [BIN, 'push', '--compress', 'lz4', '--repo', join(work, `l-${i}`), segment, NAME]]],
  ['tidemark-wal push --compress zstd', (i) => [node, [BIN, 'push', '--compress', 'zstd', '--repo', join(work, `z-${i}`), segment, NAME]]],
  ['tidemark-wal get', () => [node, [BIN, 'get', '--repo', join(work, 'r-0'), NAME, join(work, 'out')]]],
]
const wall = {}
const cpu = {}
try {
  for (let i = 0; i < runs; i += 1) {
    for (const [label, make] of cases) {
      const [command, args] = make(i)
      const started = process.hrtime.bigint()
      const result = spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], { encoding: 'utf8' })
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (result.status !== 0) {
        throw new Error(`${label}: ${result.stderr}`)
      }
      const [user, sys] = result.stderr.trim().split('\n').pop().split(' ').map(Number)
      ;(wall[label] ??= []).push(ms)
      ;(cpu[label] ??= []).push((user + sys) * 1000)
    }
    rmSync(join(work, `cp-${i}`), { force: true })
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
console.log(`${'case'.padEnd(38)} wall min  wall median  cpu median   (ms, ${runs} runs, 16 MB segment)`)
for (const [label] of cases) {
  const w = wall[label]
  console.log(`${label.padEnd(38)} ${Math.min(...w).toFixed(1).padStart(8)}  ${median(w).toFixed(1).padStart(11)}  ${median(cpu[label]).toFixed(0).padStart(10)}`)
}
