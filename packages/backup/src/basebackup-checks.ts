// Checks of a basebackup request that need no server: each refusal happens before anything is
// written or any connection is made.
import type { ServerInfo } from '@tidemark/wire'
import type { BaseBackupOptions } from './basebackup-options.js'
import { checkCompressionForFormat } from './compression-spec.js'
import { BackupUsageError } from './errors.js'

export function checkBaseBackupOptions(options: BaseBackupOptions): void {
  checkCompressionForFormat(options.compression, options.format)
  if (options.repository !== undefined && options.format !== 'tar') {
    throw new BackupUsageError('a backup into a repository (--repo) is stored as tar archives: leave out -F plain (tar is implied)')
  }
  if (options.walDir !== undefined && options.format !== 'plain') {
    throw new BackupUsageError('--waldir is only allowed with plain format (-F plain)')
  }
  if (options.walDir !== undefined && options.walMethod === 'none') {
    throw new BackupUsageError('--waldir needs WAL in the backup: use -X fetch or -X stream')
  }
  if (options.createSlot && options.slot === undefined) {
    throw new BackupUsageError('--create-slot needs a slot name: use -S/--slot')
  }
  if (options.slot !== undefined && options.noSlot) {
    throw new BackupUsageError('--no-slot cannot be used with -S/--slot')
  }
  if ((options.slot !== undefined || options.createSlot) && options.walMethod !== 'stream') {
    throw new BackupUsageError('replication slots can only be used with -X stream')
  }
  if (options.noSlot && options.walMethod !== 'stream') {
    throw new BackupUsageError('--no-slot can only be used with -X stream')
  }
  if (options.statusIntervalSeconds < 0 || !Number.isFinite(options.statusIntervalSeconds)) {
    throw new BackupUsageError(`invalid status interval "${options.statusIntervalSeconds}"`)
  }
  if (options.label.length > 1023) {
    throw new BackupUsageError('the backup label is too long (1023 bytes at most)')
  }
}

/** What the server in front of us can do: refuse what it cannot, before the backup starts. */
export function checkServerSupports(options: BaseBackupOptions, server: ServerInfo): void {
  const serverCompression = options.compression.location === 'server' && options.compression.method !== 'none'
  if (server.flavor === 'opengauss') {
    if (serverCompression) {
      throw new BackupUsageError('openGauss cannot compress on the server: use client-side compression (-z, -Z, --compress=gzip)')
    }
    if (options.maxRateKb !== undefined) {
      throw new BackupUsageError('openGauss does not support --max-rate')
    }
    return
  }
  if (serverCompression && server.major < 15) {
    throw new BackupUsageError(`server-side compression needs PostgreSQL 15 or later; this server is ${server.major}`)
  }
}
