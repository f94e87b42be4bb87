import type { Cluster } from './cluster.js'

/** Makes a table of `rows` rows with text, numbers and a little bulk, optionally in a tablespace. */
export async function createSampleTable(
  cluster: Cluster,
  table: string,
  rows: number,
  options: { tablespace?: string; database?: string } = {}
): Promise<void> {
  const tablespace = options.tablespace ? ` TABLESPACE ${options.tablespace}` : ''
  await cluster.query(
    `CREATE TABLE ${table} (id bigint PRIMARY KEY, label text NOT NULL, amount numeric, payload bytea)${tablespace}`
  )
  await cluster.query(
    `INSERT INTO ${table} SELECT g, 'row ' || g, g * 1.5, decode(md5(g::text), 'hex')
       FROM generate_series(1, $1::int) AS g`,
    [rows]
  )
}

/** A digest of a table's whole contents in key order: equal digests mean equal rows. */
export async function tableDigest(cluster: Cluster, table: string, orderBy = 'id'): Promise<{ rows: number; digest: string }> {
  const [row] = await cluster.query<{ rows: string; digest: string | null }>(
    `SELECT count(*)::text AS rows, md5(string_agg(t::text, '|' ORDER BY ${orderBy})) AS digest FROM ${table} AS t`
  )
  return { rows: Number(row?.rows ?? 0), digest: row?.digest ?? '' }
}

/** Forces a WAL segment switch after making sure there is something to switch away from. */
export async function switchWal(cluster: Cluster): Promise<string> {
  await cluster.query(`SELECT txid_current()`)
  const [row] = await cluster.query<{ lsn: string }>(`SELECT pg_switch_wal()::text AS lsn`)
  return row?.lsn ?? ''
}
