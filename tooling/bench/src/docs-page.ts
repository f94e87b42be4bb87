import { cellText, formatMb } from './format.js'
import { renderResults } from './report.js'
import type { RunRecord } from './run-record.js'
import { TOOL_NAMES } from './tools.js'

const METHOD = `\`npm run bench\` (package \`tooling/bench\`) measures Tidemark against the C tools people use today, on the
same server in the same run. It is a tool, not a test: \`npm test\` never runs it and nothing asserts a timing.

\`\`\`sh
npm run bench                                           # the published figures: 5 rounds, pgbench scale 30, 200 MB of random bytes
npm run bench -- --rounds 1 --scale 1 --random-mb 20    # a smoke run of a few minutes
npm run bench -- --help                                 # every option (--segments, --prefetch, --only backup,push,get, --no-docs)
\`\`\`

## What it does

- Starts a PostgreSQL 15 cluster of Debian's server (installing \`postgresql-15\` with apt-get when missing and root),
  as the unprivileged OS user \`tidemark-pg\` when run as root, with \`wal_level = replica\`, archiving on and
  pgbench's tables at the scale asked plus a table of incompressible bytes (md5 of \`random()\`, TOAST storage
  \`external\`). Installs Debian's \`pgbackrest\` when missing and root and makes a stanza whose repository is in
  the run's scratch directory (\`process-max=2\`). The server's \`archive_command\` is pgBackRest's
  \`archive-push\` (its full backups check their WAL is archived) followed by a \`cp\` into a collection directory.
- Runs every case as a command line through \`/bin/sh -c\` (as PostgreSQL runs \`archive_command\`), as the server's
  OS user, under GNU \`time -f %M\`. A case whose tool is missing or fails is reported as n/a with the reason and
  the run goes on; a failed case is not retried in later rounds.
- Repeats each group for the rounds asked; within a round the cases take turns, and the order rotates by one
  every round so that no tool always runs first. Between two measurements \`sync\` flushes the page cache's dirty
  pages, so no case pays for the previous one's writes; the database itself stays cached (it is far smaller than
  memory), the same for every tool.

| group | what one sample is |
| --- | --- |
| full backup | wall-clock seconds of one \`tidemark basebackup\` / \`pg_basebackup\` (\`-X stream -c fast\`, over TCP to 127.0.0.1) with \`-Fp\`, \`-Ft\`, \`-Ft -z\`, each with \`-N\` and with sync, into a fresh directory; pgBackRest \`backup --type=full\` (compress none and gz, \`process-max=2\`, \`start-fast\`), which includes its wait for the last WAL segment to be archived |
| archive_command | mean seconds per call over the round's pushes of the same real WAL segments (the oldest segments the data load produced, 16 MB each) into a fresh, empty archive: \`tidemark-wal push --repo R %p %f\` (its default, no compression) and with \`--compress gzip\`; \`pgbackrest archive-push %p\` with \`--compress-type=none\` and with its default gz (the stanza is created untimed); \`dd conv=fsync\` as cp + fsync; and \`node -e 0\` as a reference for what starting Node.js alone costs per call. Ratios pair like with like: uncompressed with uncompressed, gzip with gz |
| restore_command | wall-clock seconds of a loop that calls the command once per segment, in order, as recovery does: \`%p\` is \`pg_wal/RECOVERYXLOG\` of a data-directory-like scratch directory, each restored file must have the segment's size and is renamed into place; archives are filled untimed beforehand by the matching push command (pgBackRest's from its uncompressed and from its gz archive) |
| peak memory | GNU time's \`%M\`: the maxrss of the largest single process the command ran and waited for (for a loop, the largest call). A tool's detached background process (a prefetcher that outlives the call) is not counted |

Ratios are Tidemark's median over the peer's median in the same run. Results go to \`bench-results/<timestamp>.json\`
(every sample; git-ignored), and this page is rewritten with the latest table. Runs of fewer than 5 rounds are
smoke runs, not figures to quote.`

function machineTable(record: RunRecord): string {
  const { machine } = record
  const rows: [string, string][] = [
    ['CPU', `${machine.cpu}, ${machine.cores} cores`],
    ['memory', machine.memory],
    ['disk (scratch directory)', machine.disk],
    ['OS', `${machine.os}, Linux ${machine.kernel}`],
    ['load', machine.load],
    ['Node.js', machine.node],
    ['server', record.server],
    ['database', `${formatMb(record.databaseBytes)} MB (pgbench scale ${record.options.scale} + ${record.options.randomMb} MB random bytes)`],
    ['WAL segments per push round / restore loop', String(record.segments)],
    ['Tidemark commit', machine.commit],
  ]
  for (const name of TOOL_NAMES) {
    const tool = record.tools[name]
    rows.push([name, cellText(tool.missing === undefined ? (tool.version ?? tool.path) : `missing: ${tool.missing}`, 160)])
  }
  return ['| | |', '| --- | --- |', ...rows.map(([key, value]) => `| ${key} | ${value} |`)].join('\n')
}

/** The whole of docs/benchmarks.md for one run. */
export function renderDocsPage(record: RunRecord): string {
  const { rounds, scale, randomMb, segments, prefetch } = record.options
  const smoke = rounds < 5 ? `\n\n**Smoke run (${rounds} round${rounds === 1 ? '' : 's'}): not figures to quote.**` : ''
  return `# Benchmarks

${METHOD}

## Latest run

${record.startedAt} – ${record.finishedAt}, \`npm run bench -- --rounds ${rounds} --scale ${scale} --random-mb ${randomMb} --segments ${segments} --prefetch ${prefetch}\`.${smoke}

${machineTable(record)}

${renderResults(record.results)}`
}
