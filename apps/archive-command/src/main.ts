import { run } from './run.js'
import { installSignalHandlers } from './signals.js'

process.exitCode = await run(process.argv.slice(2), {
  onLibraryLoaded: (wal) => installSignalHandlers(wal.removeTemporaryFilesSync),
})
