// Bundles the command line into one file, dist/main.js, which bin/tidemark-wal.js imports:
// archive_command starts one process per segment, so start-up must not walk a module graph.
// The native codecs stay outside the bundle and are loaded only by a call that needs them.
import { bundleApp } from '@tidemark/bundle'

await bundleApp({ outfile: 'dist/main.js' })
