// Shared vitest settings: unit tests (*.test.ts) and integration tests (*.int.test.ts, real
// servers) are separate projects, run by separate turbo tasks. Sibling packages resolve to their
// TypeScript source through the '@tidemark/source' export condition, so tests need no build.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const conditions = ['@tidemark/source']
// Vite resolves tests as SSR: the condition must be set for that environment too.
const resolve = { conditions: [...conditions, 'module', 'node', 'development|production'] }
const ssr = { resolve: { conditions: [...conditions, 'node', 'development|production'], externalConditions: conditions } }
const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')
const reportDir = `${repoRoot}/.test-reports`
// Stops every server the fixtures started in this run, even after a crashed or interrupted test.
const fixturesGlobalSetup = `${repoRoot}/test-fixtures/src/global-setup.ts`
// Unit tests' temporary directories live in one directory per run, removed at its end.
const unitGlobalSetup = fileURLToPath(new URL('./temp-dir-setup.js', import.meta.url))

/** @param {string} dir the package directory (import.meta.dirname of its vitest.config.ts) */
export function packageConfig(dir) {
  const name = dir.slice(repoRoot.length).replace(/^\/+/, '').replaceAll('/', '-')
  return defineConfig({
    resolve,
    ssr,
    test: {
      // The root `npm test` sets TIDEMARK_TEST_KIND and sums these reports; ad-hoc runs write none.
      reporters: process.env.TIDEMARK_TEST_KIND
        ? ['default', ['json', { outputFile: `${reportDir}/${name}-${process.env.TIDEMARK_TEST_KIND}.json` }]]
        : ['default'],
      projects: [
        {
          resolve,
          ssr,
          test: {
            name: 'unit',
            root: dir,
            include: ['src/**/*.test.ts'],
            exclude: ['src/**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
            testTimeout: 20_000,
            globalSetup: [unitGlobalSetup],
          },
        },
        {
          resolve,
          ssr,
          test: {
            name: 'integration',
            root: dir,
            include: ['src/**/*.int.test.ts'],
            testTimeout: 180_000,
            hookTimeout: 180_000,
            // Real servers on two cores: one file at a time keeps them from starving each other.
            fileParallelism: false,
            globalSetup: [fixturesGlobalSetup],
          },
        },
      ],
    },
  })
}

export const sharedConfig = { resolve, ssr }
