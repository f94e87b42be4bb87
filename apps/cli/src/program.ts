import { Command } from 'commander'
import { packageVersion } from './version.js'

/** The tidemark command line; main.ts parses process.argv with it, tests parse their own argv. */
export function createProgram(): Command {
  return new Command('tidemark')
    .description('Physical backup and point-in-time recovery for PostgreSQL 13-18 and openGauss/MogDB')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-?, --help', 'show this help and exit')
}
