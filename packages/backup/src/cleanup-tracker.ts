import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Name of the marker a failed run leaves with --no-clean, so nobody mistakes the files for a backup. */
export const INCOMPLETE_MARKER = 'TIDEMARK_BACKUP_INCOMPLETE'

/**
 * Remembers what a run created, so a failure removes exactly that: directories it made are removed
 * whole; directories that existed (empty) before are emptied but kept. Nothing else is touched.
 */
export class CleanupTracker {
  readonly #createdDirs: string[] = []
  readonly #filledDirs: string[] = []

  /** A directory this run created (with everything in it). */
  created(dir: string): void {
    this.#createdDirs.push(dir)
  }

  /** A directory that existed and was empty: on failure, only its new contents go. */
  filled(dir: string): void {
    this.#filledDirs.push(dir)
  }

  get paths(): readonly string[] {
    return [...this.#createdDirs, ...this.#filledDirs]
  }

  async cleanup(): Promise<void> {
    for (const dir of [...this.#createdDirs].reverse()) {
      await rm(dir, { recursive: true, force: true })
    }
    for (const dir of this.#filledDirs) {
      const entries = await readdir(dir).catch(() => [])
      for (const entry of entries) {
        await rm(join(dir, entry), { recursive: true, force: true })
      }
    }
  }

  /** --no-clean: keep everything, and say in each top directory that it is not a usable backup. */
  async markIncomplete(reason: string): Promise<void> {
    for (const dir of this.paths) {
      await writeFile(join(dir, INCOMPLETE_MARKER), `${reason}\n`).catch(() => undefined)
    }
  }
}
