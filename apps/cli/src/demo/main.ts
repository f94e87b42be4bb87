// Entry point of apps/cli/bin/tidemark-demo.js (`npm run demo`).
import { runDemo } from './demo.js'

const ok = await runDemo({
  say: (line) => process.stdout.write(`${line}\n`),
  echo: (line) => process.stdout.write(`     | ${line}\n`),
})
process.exitCode = ok ? 0 : 1
