// Entry point of apps/cli/bin/tidemark-demo.js (`npm run demo`).
import { runDir, stopAllClusters, sweepRunDir } from '@tidemark/test-fixtures'
import { runDemo } from './demo.js'

// Interrupted: stop every server under the demo's directory and remove it before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stdout.write(`\n${signal}: stopping the demo's servers and removing its files\n`)
    void stopAllClusters()
      .then(() => sweepRunDir(runDir()))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}

const ok = await runDemo({
  say: (line) => process.stdout.write(`${line}\n`),
  echo: (line) => process.stdout.write(`     | ${line}\n`),
})
process.exitCode = ok ? 0 : 1
