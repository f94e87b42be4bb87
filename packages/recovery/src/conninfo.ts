// libpq connection strings (`key=value key2='value 2'`), as primary_conninfo holds them.

/** One value as libpq reads it: bare when it is a plain word, otherwise single-quoted with \ and ' escaped. */
export function conninfoValue(value: string): string {
  if (value !== '' && /^[^\s'\\=]+$/.test(value)) {
    return value
  }
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/**
 * A connection string from parameters, in the given order; undefined values are left out. E.g.
 * `conninfoString({ host: '/var/run/my pg', port: 5432, user: 'rep' })` → `host='/var/run/my pg' port=5432 user=rep`.
 */
export function conninfoString(params: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${conninfoValue(String(value))}`)
    .join(' ')
}
