import { join } from 'node:path'
import { assertServerStopped, readExistingFiles } from './data-dir.js'
import { writeFileDurably } from './durable-write.js'
import { planRecoveryFiles, planStandbyFiles, type FileWrite } from './recovery-files.js'
import type { RecoverySettings, StandbySettings } from './recovery-settings.js'
import type { ServerKind } from './server-kind.js'

export interface WriteConfigOptions {
  readonly dataDir: string
  readonly server: ServerKind
  readonly port?: number | undefined
}

/** A file that was written: its absolute path and what it now holds. */
export interface WrittenFile extends FileWrite {
  readonly path: string
}

/**
 * Writes the recovery configuration into a stopped data directory (refused while its server runs),
 * each file durably. Returns what was written, in order.
 */
export function writeRecoveryConfig(options: WriteConfigOptions & { readonly settings: RecoverySettings }): WrittenFile[] {
  assertServerStopped(options.dataDir)
  const plan = planRecoveryFiles(options.server, options.settings, readExistingFiles(options.dataDir), {
    port: options.port,
    dataDir: options.dataDir,
  })
  return writePlan(options.dataDir, plan)
}

/** Writes the standby configuration (what `basebackup -R` needs) into a data directory, durably. */
export function writeStandbyConfig(options: WriteConfigOptions & { readonly standby: StandbySettings }): WrittenFile[] {
  assertServerStopped(options.dataDir)
  const plan = planStandbyFiles(options.server, options.standby, readExistingFiles(options.dataDir), {
    port: options.port,
    dataDir: options.dataDir,
  })
  return writePlan(options.dataDir, plan)
}

function writePlan(dataDir: string, plan: readonly FileWrite[]): WrittenFile[] {
  // Configuration first, the signal file last: a crash in between leaves no signal, so no half-configured recovery.
  return plan.map((file) => {
    const path = join(dataDir, file.name)
    writeFileDurably(path, file.content)
    return { ...file, path }
  })
}
