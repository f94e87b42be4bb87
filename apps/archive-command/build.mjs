// Bundles the command line into one file, dist/main.js, which bin/tidemark-wal.js imports:
// archive_command starts one process per segment, so start-up must not walk a module graph.
// The native codecs stay outside the bundle and are loaded only by a call that needs them.
// @tidemark/storage (and the S3 SDK, over a megabyte) goes into dist/tidemark-storage.js, which
// @tidemark/wal imports only for an s3:// repository: a directory push never parses it.
import { readFileSync } from 'node:fs'
import { NATIVE_CODECS, bundleApp } from '@tidemark/bundle'

const STORAGE_BUNDLE = './tidemark-storage.js'
const NATIVE = new RegExp(`^(${NATIVE_CODECS.join('|')})$`)

/** @type {import('esbuild').Plugin} */
const lazyStorage = {
  name: 'lazy-storage',
  setup(builder) {
    builder.onResolve({ filter: /^@tidemark\/storage$/ }, () => ({ path: STORAGE_BUNDLE, external: true }))
    builder.onResolve({ filter: NATIVE }, (args) => ({ path: args.path, external: true }))
  },
}

await bundleApp({ outfile: 'dist/main.js', plugins: [lazyStorage] })
await bundleApp({ entry: 'src/storage-bundle.ts', outfile: 'dist/tidemark-storage.js' })

// A static import would load the SDK on every start: only import() may name the storage bundle.
const main = readFileSync('dist/main.js', 'utf8')
if (/\bfrom\s*["']\.\/tidemark-storage\.js["']|\bimport\s*["']\.\/tidemark-storage\.js["']/.test(main) || !main.includes(`import("${STORAGE_BUNDLE}")`)) {
  throw new Error(`dist/main.js must load ${STORAGE_BUNDLE} only through import()`)
}
