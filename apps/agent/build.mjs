// Bundles the agent into one file, dist/tidemark-agent.mjs, to copy onto a node that has Node 20
// and nothing else (docs/agent.md). The native codecs cannot be bundled: they are loaded when the
// file starts if they are installed beside it (npm install lz4-napi @mongodb-js/zstd), and a call
// that needs a missing one fails with a message saying so; gzip and uncompressed work without them.
import { NATIVE_CODECS, bundleApp } from '@tidemark/bundle'

const NATIVE = new RegExp(`^(${NATIVE_CODECS.join('|')})$`)
const NATIVE_EXPORTS = ['compress', 'decompress', 'compressFrame', 'decompressFrame']

/** Replaces each native codec by a module that loads it if it can and otherwise throws on use. */
const optionalNative = {
  name: 'optional-native',
  setup(builder) {
    builder.onResolve({ filter: NATIVE }, (args) =>
      args.namespace === 'optional-native' ? { path: args.path, external: true } : { path: args.path, namespace: 'optional-native' }
    )
    builder.onLoad({ filter: /.*/, namespace: 'optional-native' }, (args) => {
      const name = JSON.stringify(args.path)
      const exports = NATIVE_EXPORTS.map(
        (key) => `export const ${key} = (...a) => { if (!mod || typeof mod.${key} !== 'function') missing(); return mod.${key}(...a) }`
      )
      return {
        contents: [
          `let mod`,
          `try { mod = await import(${name}) } catch { mod = undefined }`,
          `const missing = () => { throw Object.assign(new Error(${name} + ' is not installed beside tidemark-agent.mjs (npm install ' + ${name} + ')'), { code: 'TIDEMARK_ERR_WAL_CODEC', exitCode: 4 }) }`,
          ...exports,
          `export default mod`,
        ].join('\n'),
        loader: 'js',
      }
    })
  },
}

await bundleApp({
  outfile: 'dist/tidemark-agent.mjs',
  plugins: [optionalNative],
  shebang: true,
  // version.ts reads ../package.json at run time; the bundle carries the version instead.
  define: { "process.env['TIDEMARK_AGENT_BUNDLED_VERSION']": JSON.stringify(process.env.npm_package_version ?? '0.0.0') },
})
