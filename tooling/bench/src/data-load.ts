import type { BenchServer } from './bench-server.js'

const HOUR_MS = 3_600_000

/** 1 MiB of bytes from md5 of random(): incompressible, made inside the server without extensions. */
const RANDOM_MIB = `(select string_agg(decode(md5(random()::text || g::text || i::text), 'hex'), ''::bytea) from generate_series(1, 65536) i)`

/** pgbench's tables at the scale asked, plus randomMb MiB of incompressible bytea. */
export async function loadData(server: BenchServer, scale: number, randomMb: number): Promise<void> {
  await server.run('pgbench', ['-i', '-q', '-s', String(scale), '-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', 'postgres'], HOUR_MS)
  await server.psql('create table bench_random (id int primary key, payload bytea)')
  // Stored as is: compressing random bytes in TOAST would only burn CPU.
  await server.psql('alter table bench_random alter column payload set storage external')
  for (let first = 1; first <= randomMb; first += 50) {
    const last = Math.min(randomMb, first + 49)
    await server.psql(`insert into bench_random select g, ${RANDOM_MIB} from generate_series(${first}, ${last}) g`, HOUR_MS)
  }
  await server.psql('vacuum analyze bench_random', HOUR_MS)
  await server.psql('checkpoint')
}

/** Bytes of the database the backups copy. */
export async function databaseBytes(server: BenchServer): Promise<number> {
  return Number(await server.psql('select sum(pg_database_size(oid)) from pg_database'))
}
