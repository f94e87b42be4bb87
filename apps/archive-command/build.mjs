// Bundles the command line into one file, dist/main.js, which bin/tidemark-wal.js imports:
// archive_command starts one process per segment, so start-up must not walk a module graph.
// The native codecs stay outside the bundle and are loaded only by a call that needs them.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@tidemark/source'],
  external: ['lz4-napi', '@mongodb-js/zstd'],
  // commander is CommonJS: give its require() calls of node builtins a require to call.
  banner: { js: "import { createRequire as __tidemarkCreateRequire } from 'node:module'; const require = __tidemarkCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
})
