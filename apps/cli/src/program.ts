import { Command } from 'commander'
import { registerBackups } from './commands/backups.js'
import { registerBaseBackup } from './commands/basebackup.js'
import { registerExpire } from './commands/expire.js'
import { registerExtract } from './commands/extract.js'
import { registerPitr } from './commands/pitr.js'
import { registerRecoveryConfig } from './commands/recovery-config.js'
import { registerRestore } from './commands/restore.js'
import { registerResume } from './commands/resume.js'
import { registerVerify } from './commands/verify.js'
import { processIo, type CliIo } from './io.js'
import { packageVersion } from './version.js'

/** Each command is one file under commands/ exporting `register<Name>(program, io)`; add yours here. */
const COMMANDS: ReadonlyArray<(program: Command, io: CliIo) => void> = [
  registerBaseBackup,
  registerRecoveryConfig,
  registerExtract,
  registerVerify,
  registerRestore,
  registerPitr,
  registerResume,
  registerBackups,
  registerExpire,
]

/**
 * The tidemark command line; runCli parses argv with it. Errors of commander itself (unknown
 * option, missing argument) are written as `tidemark: <message> [TIDEMARK_ERR_CLI_USAGE]`.
 */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command('tidemark')
    .description('Physical backup and point-in-time recovery for PostgreSQL 13-18 and openGauss/MogDB')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-?, --help', 'show this help and exit')
    .helpCommand(false)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`tidemark: ${text.replace(/^error: /, '').trim()} [TIDEMARK_ERR_CLI_USAGE]\n`),
    })
    // Subcommands made with .command() inherit this: usage errors reach runCli as CommanderError.
    .exitOverride()
  for (const register of COMMANDS) {
    register(program, io)
  }
  // Subcommands inherit the help option's flags only when set before they are made; keep -? everywhere.
  for (const command of program.commands) {
    command.helpOption('-?, --help', 'show this help and exit')
  }
  return program
}
