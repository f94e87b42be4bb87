import { Command } from 'commander'
import { packageVersion } from './version.js'

/** The tidemark-agent command line; main.ts parses process.argv with it, tests parse their own argv. */
export function createProgram(): Command {
  return new Command('tidemark-agent')
    .description('The per-node Tidemark agent: backups, the WAL archive over HTTP, and metrics')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-?, --help', 'show this help and exit')
}
