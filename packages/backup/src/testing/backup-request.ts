import type { Cluster } from '@tidemark/test-fixtures'
import { BASEBACKUP_DEFAULTS, type BaseBackupOptions } from '../basebackup-options.js'
import { NO_COMPRESSION } from '../compression-spec.js'

/** A basebackup request against a fixture cluster, with pg_basebackup's defaults; override what a test needs. */
export function backupRequest(cluster: Cluster, targetDir: string, overrides: Partial<BaseBackupOptions> = {}): BaseBackupOptions {
  return {
    ...BASEBACKUP_DEFAULTS,
    connection: { host: cluster.socketDir, port: cluster.port, user: 'postgres', password: cluster.password },
    targetDir,
    compression: NO_COMPRESSION,
    tablespaceMappings: [],
    createSlot: false,
    noSlot: false,
    writeRecoveryConf: false,
    sync: false,
    clean: true,
    manifest: true,
    estimateSize: true,
    checkpoint: 'fast',
    ...overrides,
  }
}
