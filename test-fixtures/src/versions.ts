import { SUPPORTED_MAJORS, type PgMajor } from './pg-binaries.js'

/** Chooses which majors the full integration suites run on. */
export const VERSIONS_ENV = 'TIDEMARK_PG_VERSIONS'

/**
 * The majors a full suite runs on: by default the oldest and the newest; `TIDEMARK_PG_VERSIONS=all`
 * for every supported major, or a comma list such as `14,16`.
 */
export function testMajors(env: NodeJS.ProcessEnv = process.env): PgMajor[] {
  const wanted = env[VERSIONS_ENV]?.trim()
  if (!wanted) {
    return [SUPPORTED_MAJORS[0], SUPPORTED_MAJORS[SUPPORTED_MAJORS.length - 1]] as PgMajor[]
  }
  if (wanted === 'all') {
    return [...SUPPORTED_MAJORS]
  }
  return wanted.split(',').map((part) => {
    const major = Number(part.trim())
    if (!(SUPPORTED_MAJORS as readonly number[]).includes(major)) {
      throw new Error(`${VERSIONS_ENV}: ${part} is not a supported PostgreSQL major (${SUPPORTED_MAJORS.join(', ')})`)
    }
    return major as PgMajor
  })
}
