// BASE_BACKUP command text in the three dialects: PostgreSQL 13–14 (legacy keywords), PostgreSQL
// 15+ (parenthesised generic options), openGauss (legacy keywords, a smaller set; reference §2–3).
import { UnsupportedFeatureError } from '../errors.js'
import type { ServerInfo } from '../server-info.js'
import { quoteLiteral } from './quote.js'

export type ManifestChecksums = 'NONE' | 'CRC32C' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512'
export type ServerCompressionMethod = 'gzip' | 'lz4' | 'zstd'

export interface BaseBackupOptions {
  /** Default 'tidemark base backup'. */
  readonly label?: string
  /** Ask the server for size estimates and progress (PROGRESS). Default true. */
  readonly progress?: boolean
  /** Request an immediate checkpoint (FAST / CHECKPOINT 'fast'). */
  readonly fastCheckpoint?: boolean
  /** Include the WAL needed for consistency in the base archive (WAL). */
  readonly includeWal?: boolean
  /** Wait for the WAL to be archived at the end (default true; false → NOWAIT / WAIT false). openGauss always sends NOWAIT. */
  readonly waitForWalArchive?: boolean
  /** Server-side rate limit in kB/s (MAX_RATE, 32…1048576). PostgreSQL only. */
  readonly maxRateKbPerSecond?: number
  /** Send a tablespace_map file instead of the pg_tblspc links (TABLESPACE_MAP). */
  readonly tablespaceMap?: boolean
  /** Verify page checksums while sending (default true). PostgreSQL only. */
  readonly verifyChecksums?: boolean
  /** Ask for a backup_manifest. PostgreSQL only. Default: none. */
  readonly manifest?: 'yes' | 'force-encode'
  readonly manifestChecksums?: ManifestChecksums
  /** Server-side compression (PostgreSQL 15+): archives arrive compressed and named .gz/.lz4/.zst. */
  readonly compression?: { readonly method: ServerCompressionMethod; readonly detail?: string }
  /**
   * Fail with StalledError when the server sends nothing for this long once the archives are
   * flowing (the checkpoint before the first archive is not timed: a spread checkpoint may be slow).
   */
  readonly stallTimeoutMs?: number
  /** Called with the bytes done whenever they change, while the archive streams are being read. */
  readonly onProgress?: (bytes: number) => void
}

export const DEFAULT_LABEL = 'tidemark base backup'
const MIN_RATE = 32
const MAX_RATE = 1048576

export type BaseBackupDialect = 'postgresql-legacy' | 'postgresql-copystream' | 'opengauss'

export function baseBackupDialect(server: ServerInfo): BaseBackupDialect {
  if (server.flavor === 'opengauss') {
    return 'opengauss'
  }
  return server.major >= 15 ? 'postgresql-copystream' : 'postgresql-legacy'
}

function checkRate(rate: number | undefined): void {
  if (rate !== undefined && (!Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE)) {
    throw new UnsupportedFeatureError(`MAX_RATE must be an integer from ${MIN_RATE} to ${MAX_RATE} kB/s, not ${rate}`)
  }
}

/** The BASE_BACKUP command for the server's dialect; refuses options the dialect lacks. */
export function baseBackupCommand(server: ServerInfo, options: BaseBackupOptions): string {
  const label = quoteLiteral(options.label ?? DEFAULT_LABEL)
  const progress = options.progress ?? true
  const wait = options.waitForWalArchive ?? true
  checkRate(options.maxRateKbPerSecond)
  const dialect = baseBackupDialect(server)
  if (dialect === 'opengauss') {
    const unsupported = [
      options.maxRateKbPerSecond !== undefined && 'MAX_RATE',
      options.verifyChecksums === false && 'NOVERIFY_CHECKSUMS',
      options.manifest !== undefined && 'MANIFEST',
      options.manifestChecksums !== undefined && 'MANIFEST_CHECKSUMS',
      options.compression !== undefined && 'COMPRESSION',
    ].filter(Boolean)
    if (unsupported.length > 0) {
      throw new UnsupportedFeatureError(`openGauss BASE_BACKUP has no ${unsupported.join(', ')}`)
    }
    // As gs_basebackup builds it: PROGRESS and NOWAIT always.
    const parts = ['BASE_BACKUP', 'LABEL', label, 'PROGRESS']
    if (options.includeWal) {
      parts.push('WAL')
    }
    if (options.fastCheckpoint) {
      parts.push('FAST')
    }
    parts.push('NOWAIT')
    if (options.tablespaceMap) {
      parts.push('TABLESPACE_MAP')
    }
    return parts.join(' ')
  }
  if (dialect === 'postgresql-legacy') {
    if (options.compression !== undefined) {
      throw new UnsupportedFeatureError(`server-side compression needs PostgreSQL 15 or newer (this is ${server.version})`)
    }
    const parts = ['BASE_BACKUP', 'LABEL', label]
    if (progress) {
      parts.push('PROGRESS')
    }
    if (options.fastCheckpoint) {
      parts.push('FAST')
    }
    if (options.includeWal) {
      parts.push('WAL')
    }
    if (!wait) {
      parts.push('NOWAIT')
    }
    if (options.maxRateKbPerSecond !== undefined) {
      parts.push('MAX_RATE', String(options.maxRateKbPerSecond))
    }
    if (options.tablespaceMap) {
      parts.push('TABLESPACE_MAP')
    }
    if (options.verifyChecksums === false) {
      parts.push('NOVERIFY_CHECKSUMS')
    }
    if (options.manifest !== undefined) {
      parts.push('MANIFEST', quoteLiteral(options.manifest))
      if (options.manifestChecksums !== undefined) {
        parts.push('MANIFEST_CHECKSUMS', quoteLiteral(options.manifestChecksums))
      }
    }
    return parts.join(' ')
  }
  const list = [`LABEL ${label}`]
  if (progress) {
    list.push('PROGRESS')
  }
  if (options.fastCheckpoint) {
    list.push(`CHECKPOINT 'fast'`)
  }
  if (options.includeWal) {
    list.push('WAL')
  }
  if (!wait) {
    list.push('WAIT false')
  }
  if (options.maxRateKbPerSecond !== undefined) {
    list.push(`MAX_RATE ${options.maxRateKbPerSecond}`)
  }
  if (options.tablespaceMap) {
    list.push('TABLESPACE_MAP')
  }
  if (options.verifyChecksums === false) {
    list.push('VERIFY_CHECKSUMS false')
  }
  if (options.manifest !== undefined) {
    list.push(`MANIFEST ${quoteLiteral(options.manifest)}`)
    if (options.manifestChecksums !== undefined) {
      list.push(`MANIFEST_CHECKSUMS ${quoteLiteral(options.manifestChecksums)}`)
    }
  }
  if (options.compression !== undefined) {
    list.push(`COMPRESSION ${quoteLiteral(options.compression.method)}`)
    if (options.compression.detail !== undefined) {
      list.push(`COMPRESSION_DETAIL ${quoteLiteral(options.compression.detail)}`)
    }
  }
  return `BASE_BACKUP (${list.join(', ')})`
}
