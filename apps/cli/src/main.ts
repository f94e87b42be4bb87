import { runCli } from './cli.js'

// bin/tidemark set NODE_EXTRA_CA_CERTS aside to spare Node.js parsing it at start-up: the processes
// tidemark starts (pg_ctl, postgres and its restore_command) get it back.
const deferredCaCertificates = process.env['TIDEMARK_NODE_EXTRA_CA_CERTS']
if (deferredCaCertificates !== undefined) {
  process.env['NODE_EXTRA_CA_CERTS'] = deferredCaCertificates
  delete process.env['TIDEMARK_NODE_EXTRA_CA_CERTS']
}

await runCli(process.argv.slice(2))
