import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, USAGE } from './args.js'
import { runBench } from './bench-run.js'
import { CleanupStack } from './cleanup.js'
import { renderDocsPage } from './docs-page.js'
import { renderResults } from './report.js'
import { recordFileName, recordJson } from './run-record.js'
import { BenchUsageError } from './usage-error.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '')

async function main(argv: readonly string[]): Promise<number> {
  let options
  try {
    options = parseArgs(argv)
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(`bench: ${error.message}\n${USAGE}`)
      return error.exitCode
    }
    throw error
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  if (options.rounds < 5) {
    console.log(`bench: ${options.rounds} round${options.rounds === 1 ? '' : 's'}: a smoke run, not figures to quote (use 5 or more)`)
  }
  const cleanup = new CleanupStack()
  cleanup.exitOnSignals()
  try {
    const record = await runBench(options, repoRoot, cleanup)
    const table = renderResults(record.results)
    console.log(`\n${table}`)
    const resultsDir = join(repoRoot, 'bench-results')
    mkdirSync(resultsDir, { recursive: true })
    const jsonPath = join(resultsDir, recordFileName(record.startedAt))
    writeFileSync(jsonPath, recordJson(record))
    console.log(`bench: results in ${jsonPath}`)
    if (options.docs) {
      writeFileSync(join(repoRoot, 'docs', 'benchmarks.md'), renderDocsPage(record))
      console.log('bench: docs/benchmarks.md updated')
    }
    return 0
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`)
    return 1
  } finally {
    await cleanup.runAll()
  }
}

process.exitCode = await main(process.argv.slice(2))
