// The fake data directory a simulator serves: a description (files with content, directories,
// tablespaces, pg_xlog) and a sample one with the parts openGauss treats specially.

export interface SimFile {
  readonly kind: 'file'
  /** Relative to the data directory (or to the tablespace location), `/`-separated. */
  readonly path: string
  readonly content: Buffer | string
  /** Full `st_mode`; default `S_IFREG|0600`. */
  readonly mode?: number
}

export interface SimDirectory {
  readonly kind: 'directory'
  readonly path: string
}

export type SimEntry = SimFile | SimDirectory

export interface SimTablespace {
  readonly oid: number
  /**
   * Absolute location on the server, or for a tablespace inside the data directory (`relative: true`)
   * its path relative to PGDATA, e.g. `pg_location/tbs_rel`.
   */
  readonly location: string
  readonly relative?: boolean
  /** Contents relative to the location, starting with the `PG_9.2_201611171_<node>` directory. */
  readonly entries: readonly SimEntry[]
}

export interface SimDataDirectory {
  /** The server's absolute PGDATA (used for link targets and `relative` locations). */
  readonly dataDir: string
  /** In walk order; parents before children. `pg_xlog` and `pg_tblspc` contents are made by the server. */
  readonly entries: readonly SimEntry[]
  readonly tablespaces: readonly SimTablespace[]
  /** When set, `pg_xlog` is a symlink to this target (the xloglink result carries it). */
  readonly xlogLinkTarget?: string
}

/** `TABLESPACE_VERSION_DIRECTORY` + `_` + `pgxc_node_name`. */
export function tablespaceVersionDirectory(nodeName: string): string {
  return `PG_9.2_201611171_${nodeName}`
}

/** `count` 8 kB pages of a recognisable pattern (page number and a seed in every byte run). */
export function samplePages(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count * 8192)
  for (let i = 0; i < out.length; i += 1) {
    out[i] = (i * 7 + seed * 13 + Math.floor(i / 8192)) & 0xff
  }
  return out
}

const file = (path: string, content: Buffer | string, mode?: number): SimFile =>
  mode === undefined ? { kind: 'file', path, content } : { kind: 'file', path, content, mode }
const dir = (path: string): SimDirectory => ({ kind: 'directory', path })

export interface SampleDataDirectoryOptions {
  readonly dataDir?: string
  readonly nodeName?: string
  /** Absolute location of the sample's one absolute-path tablespace. */
  readonly tablespaceLocation?: string
  readonly systemId?: bigint
}

/**
 * A small data directory: catalogs and a user table (one of 9 pages, so it spans three 32 kB
 * chunks), text files whose sizes need padding, double-write files (which the server skips),
 * server-state files (skipped), pg_xlog with a segment (sent as an empty directory), an SSL key (sent
 * only to gs_basebackup), and two tablespaces: one at an absolute path, one inside PGDATA under
 * `pg_location`.
 */
export function sampleDataDirectory(options: SampleDataDirectoryOptions = {}): SimDataDirectory {
  const dataDir = options.dataDir ?? '/var/lib/opengauss/data'
  const version = tablespaceVersionDirectory(options.nodeName ?? 'dn_6001')
  const control = samplePages(1, 99)
  control.writeBigUInt64LE(options.systemId ?? 7_301_234_567_890_123_456n, 0)
  return {
    dataDir,
    entries: [
      file('PG_VERSION', '9.2\n'),
      file('postgresql.conf', "port = 5432\nlisten_addresses = '*'\nwal_level = hot_standby\n"),
      file('pg_hba.conf', 'host replication repl 127.0.0.1/32 sha256\nhost all all 127.0.0.1/32 sha256\n'),
      file('pg_ident.conf', ''),
      file('postmaster.pid', '4242\n/var/lib/opengauss/data\n'),
      file('postmaster.opts', '/usr/local/opengauss/bin/gaussdb -D /var/lib/opengauss/data\n'),
      file('gaussdb.state', 'state: Normal\n'),
      file('server.key', '-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n'),
      dir('base'),
      dir('base/1'),
      file('base/1/PG_VERSION', '9.2\n'),
      file('base/1/1259', samplePages(2, 1)),
      dir('base/16384'),
      file('base/16384/PG_VERSION', '9.2\n'),
      file('base/16384/16390', samplePages(9, 2)),
      file('base/16384/16390_fsm', samplePages(3, 3)),
      dir('global'),
      file('global/1262', samplePages(1, 4)),
      file('global/pg_filenode.map', Buffer.alloc(512, 0x5a)),
      file('global/pg_control', control),
      file('global/pg_dw', samplePages(2, 5)),
      file('global/pg_dw_single', samplePages(1, 6)),
      file('global/pg_dw.build', samplePages(1, 7)),
      dir('pg_xlog'),
      dir('pg_xlog/archive_status'),
      file('pg_xlog/000000010000000000000001', Buffer.alloc(0)),
      dir('pg_tblspc'),
      dir('pg_errorinfo'),
      file('pg_errorinfo/error.log', 'old errors\n'),
      dir('pg_log'),
      file('pg_log/postgresql.log', 'log line\n'),
      dir('pg_location'),
      dir('pg_multixact'),
      dir('pg_multixact/offsets'),
      file('pg_multixact/offsets/0000', samplePages(1, 8)),
      dir('pg_clog'),
      file('pg_clog/0000', samplePages(1, 9)),
    ],
    tablespaces: [
      {
        oid: 16400,
        location: options.tablespaceLocation ?? '/srv/opengauss/tbs_abs',
        entries: [dir(version), dir(`${version}/16384`), file(`${version}/16384/16401`, samplePages(2, 10))],
      },
      {
        oid: 16410,
        location: 'pg_location/tbs_rel',
        relative: true,
        entries: [dir(version), dir(`${version}/16384`), file(`${version}/16384/16411`, samplePages(1, 11))],
      },
    ],
  }
}
