// Bundles the command line's entry into one file, dist/main.js (bin/tidemark.js imports it). tsc has
// already emitted the rest of dist/ (declarations, the demo). Native codecs are this package's
// dependencies, so the bundle resolves them.
import { bundleApp } from '@tidemark/bundle'

await bundleApp({ outfile: 'dist/main.js', sourcemap: true, splitting: true })
