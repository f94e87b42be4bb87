// Bundles the command line's entry into one file, dist/main.js (bin/tidemark.js imports it): start-up
// then reads one file instead of walking the workspace's module graph, a saving paid on every call.
// tsc has already emitted the rest of dist/ (declarations, the demo). Native codecs stay external
// (dependencies of this package, so the bundle resolves them).
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
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
})
