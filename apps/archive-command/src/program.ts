import { Command } from 'commander'
import { packageVersion } from './version.js'

/** The tidemark-wal command line; main.ts parses process.argv with it, tests parse their own argv. */
export function createProgram(): Command {
  return new Command('tidemark-wal')
    .description('WAL archiving helpers for archive_command, restore_command and archive_cleanup_command')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-?, --help', 'show this help and exit')
}
