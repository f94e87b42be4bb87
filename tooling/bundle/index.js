// One esbuild setup for the apps' single-file bundles (tidemark, tidemark-wal, tidemark-agent):
// start-up then reads one file instead of walking the workspace's module graph.
import { rmSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { build } from 'esbuild'

/** The native codecs: never bundled, loaded from node_modules by the calls that need them. */
export const NATIVE_CODECS = ['lz4-napi', '@mongodb-js/zstd']

// commander and fastify are CommonJS: give their require() calls of node builtins a require to call.
const REQUIRE_SHIM = "import { createRequire as __tidemarkCreateRequire } from 'node:module'; const require = __tidemarkCreateRequire(import.meta.url);"

/**
 * Bundles src/main.ts (or `entry`) of the current app into `outfile`.
 * With `splitting`, what the code loads with import() (the S3 SDK, over a megabyte) goes into
 * chunks/ beside outfile: start-up parses only what every run needs.
 * @param {{ outfile: string, entry?: string, plugins?: import('esbuild').Plugin[], shebang?: boolean, define?: Record<string, string>, sourcemap?: boolean, splitting?: boolean }} options
 */
export async function bundleApp(options) {
  const output = options.splitting
    ? { outdir: dirname(options.outfile), entryNames: basename(options.outfile, extname(options.outfile)), chunkNames: 'chunks/[name]-[hash]', splitting: true }
    : { outfile: options.outfile }
  if (options.splitting) {
    rmSync(join(dirname(options.outfile), 'chunks'), { recursive: true, force: true })
  }
  await build({
    entryPoints: [options.entry ?? 'src/main.ts'],
    ...output,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@tidemark/source'],
    ...(options.plugins ? { plugins: options.plugins } : { external: NATIVE_CODECS }),
    banner: { js: `${options.shebang ? '#!/usr/bin/env node\n' : ''}${REQUIRE_SHIM}` },
    ...(options.define ? { define: options.define } : {}),
    sourcemap: options.sourcemap ?? false,
    legalComments: 'none',
    logLevel: 'warning',
  })
}
