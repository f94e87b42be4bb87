import { run } from './run.js'
import { installSignalHandlers } from './signals.js'

installSignalHandlers()
process.exitCode = await run(process.argv.slice(2))
