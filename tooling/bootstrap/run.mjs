#!/usr/bin/env node
// The root npm scripts land here. A fresh machine has Node and npm only, and corepack's signature
// check fails against the registry here, so the pinned pnpm is run through npx. Plain JavaScript
// because nothing is installed yet when it starts.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager // pnpm@X.Y.Z
const pinnedVersion = pinned.split('@')[1]
const env = {
  ...process.env,
  COREPACK_ENABLE_STRICT: '0',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  npm_config_update_notifier: 'false',
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts })
  if (result.error) {
    console.error(`tidemark: could not run ${cmd}: ${result.error.message}`)
    return 1
  }
  return result.status ?? 1
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { env, encoding: 'utf8' })
  if (probe.status === 0 && probe.stdout.trim() === pinnedVersion) {
    return ['pnpm', []]
  }
  return ['npx', ['--yes', pinned]]
}

const [pnpm, pnpmArgs] = pnpmCommand()
const pn = (...args) => run(pnpm, [...pnpmArgs, ...args])
const turbo = (...args) => pn('exec', 'turbo', 'run', ...args, '--output-logs=new-only')

function install() {
  const status = pn('install', '--frozen-lockfile', '--prefer-offline')
  if (status !== 0) {
    console.error('tidemark: pnpm install failed')
    process.exit(status)
  }
  directBins()
}

const shellQuote = (text) => `'${text.replaceAll("'", "'\\''")}'`

/**
 * Rewrites node_modules/.bin/<app command> as a one-line exec of the app's bin. pnpm's shims run
 * sed, dirname and uname on every call, a few milliseconds each time: PostgreSQL runs
 * archive_command and restore_command once per WAL segment.
 */
function directBins() {
  const binDir = join(root, 'node_modules', '.bin')
  for (const app of readdirSync(join(root, 'apps'))) {
    const manifest = join(root, 'apps', app, 'package.json')
    if (!existsSync(manifest) || !existsSync(binDir)) {
      continue
    }
    for (const [name, relative] of Object.entries(JSON.parse(readFileSync(manifest, 'utf8')).bin ?? {})) {
      const target = join(root, 'apps', app, relative)
      const runner = target.endsWith('.js') ? 'node' : '/bin/sh'
      const shim = join(binDir, name)
      rmSync(shim, { force: true })
      writeFileSync(shim, `#!/bin/sh\n# ${name}: written by tooling/bootstrap/run.mjs over pnpm's shim (no sed, dirname, uname per call)\nexec ${runner} ${shellQuote(target)} "$@"\n`)
      chmodSync(shim, 0o755)
    }
  }
}

function summarizeTests(reportDir) {
  let passed = 0
  let failed = 0
  let skipped = 0
  let files = 0
  if (existsSync(reportDir)) {
    for (const name of readdirSync(reportDir).filter((n) => /-(unit|integration)\.json$/.test(n))) {
      const report = JSON.parse(readFileSync(join(reportDir, name), 'utf8'))
      files += 1
      passed += report.numPassedTests ?? 0
      failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0)
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    }
  }
  return { passed, failed, skipped, files }
}

const command = process.argv[2]
switch (command) {
  case 'install':
    install()
    break
  case 'build': {
    install()
    process.exit(turbo('build'))
    break
  }
  case 'check-types':
  case 'lint': {
    install()
    process.exit(turbo(command))
    break
  }
  case 'test': {
    const started = Date.now()
    install()
    const reportDir = join(root, '.test-reports')
    rmSync(reportDir, { recursive: true, force: true })
    const steps = [
      ['check-types, lint and build', () => turbo('check-types', 'lint', 'build')],
      ['unit tests', () => turbo('test', '--concurrency=2')],
      ['integration tests', () => turbo('test:integration', '--concurrency=1')],
    ]
    const failures = []
    for (const [name, step] of steps) {
      console.log(`\n== ${name}`)
      if (step() !== 0) {
        failures.push(name)
        if (name === 'check-types, lint and build') {
          break
        }
      }
    }
    const { passed, failed, skipped, files } = summarizeTests(reportDir)
    const minutes = ((Date.now() - started) / 60_000).toFixed(1)
    console.log(`\n${files} test reports, ${minutes} min${failures.length ? `; failed steps: ${failures.join(', ')}` : ''}`)
    const ok = failures.length === 0 && failed === 0 && passed > 0
    console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
    process.exit(ok ? 0 : 1)
    break
  }
  case 'demo': {
    install()
    if (turbo('build') !== 0) {
      process.exit(1)
    }
    process.exit(run(process.execPath, [join(root, 'apps/cli/bin/tidemark-demo.js'), ...process.argv.slice(3)]))
    break
  }
  case 'bench': {
    install()
    if (turbo('build') !== 0) {
      process.exit(1)
    }
    process.exit(pn('--filter', '@tidemark/bench', 'run', 'bench', ...process.argv.slice(3)))
    break
  }
  default:
    console.error(`tidemark: unknown command ${command ?? '(none)'}; expected install, build, test, demo, bench`)
    process.exit(2)
}
