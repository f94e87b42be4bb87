// One esbuild setup for the apps' single-file bundles (tidemark, tidemark-wal, tidemark-agent):
// start-up then reads one file instead of walking the workspace's module graph.
import { build } from 'esbuild'

/** The native codecs: never bundled, loaded from node_modules by the calls that need them. */
export const NATIVE_CODECS = ['lz4-napi', '@mongodb-js/zstd']

// commander and fastify are CommonJS: give their require() calls of node builtins a require to call.
const REQUIRE_SHIM = "import { createRequire as __tidemarkCreateRequire } from 'node:module'; const require = __tidemarkCreateRequire(import.meta.url);"

/**
 * Bundles src/main.ts (or `entry`) of the current app into `outfile`.
 * @param {{ outfile: string, entry?: string, plugins?: import('esbuild').Plugin[], shebang?: boolean, define?: Record<string, string>, sourcemap?: boolean }} options
 */
export async function bundleApp(options) {
  await build({
    entryPoints: [options.entry ?? 'src/main.ts'],
    outfile: options.outfile,
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
