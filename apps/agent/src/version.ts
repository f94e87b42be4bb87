import { readFileSync } from 'node:fs'

/**
 * The package version: the single-file bundle has it built in (build.mjs defines it); otherwise it is
 * read at run time from package.json (one level above src/ and dist/ alike).
 */
export function packageVersion(): string {
  const bundled = process.env['TIDEMARK_AGENT_BUNDLED_VERSION']
  if (bundled) {
    return bundled
  }
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}
