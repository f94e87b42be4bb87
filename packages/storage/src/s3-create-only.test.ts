import { describe, expect, it } from 'vitest'
import { StorageExistsError } from './errors.js'
import { claimPrefix, CLAIM_TTL_MS, withCreateClaim } from './s3-create-only.js'
import type { ClaimOps } from './s3-create-only.js'

/** A strongly consistent key space in memory (the protocol's assumption), not an S3 server. */
function keySpace(now: () => number): ClaimOps & { keys: Map<string, number> } {
  const keys = new Map<string, number>()
  const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 3))
  return {
    keys,
    exists: async (key) => (await tick(), keys.has(key)),
    putMarker: async (key) => {
      await tick()
      keys.set(key, now())
    },
    list: async (prefix) => {
      await tick()
      return [...keys].filter(([k]) => k.startsWith(prefix)).map(([key, t]) => ({ key, lastModified: new Date(t) }))
    },
    remove: async (key) => {
      await tick()
      keys.delete(key)
    },
  }
}

describe('claimPrefix', () => {
  it('keeps claims beside the key, hidden, and distinct for names that prefix each other', () => {
    expect(claimPrefix('repo/wal/a.tar')).toMatch(/^repo\/wal\/\.tidemark-claim-[0-9a-f]{32}-$/)
    expect(claimPrefix('a')).toMatch(/^\.tidemark-claim-[0-9a-f]{32}-$/)
    expect(claimPrefix('d/a').startsWith(claimPrefix('d/a.tar'))).toBe(false)
    expect(claimPrefix('d/a.tar').startsWith(claimPrefix('d/a'))).toBe(false)
  })
})

describe('withCreateClaim', () => {
  it('lets exactly one of many concurrent writers write, refuses the others, and leaves no claim', async () => {
    for (let round = 0; round < 5; round++) {
      const space = keySpace(Date.now)
      let writes = 0
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          withCreateClaim(space, 'd/k', 'd/k', async () => {
            writes++
            await space.putMarker('d/k')
            return 'written'
          }, { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 10)) })
        )
      )
      expect(writes).toBe(1)
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      for (const r of results) {
        if (r.status === 'rejected') {
          expect(r.reason).toBeInstanceOf(StorageExistsError)
        }
      }
      expect([...space.keys.keys()]).toEqual(['d/k'])
    }
  })

  it('ignores a claim a crashed writer left longer ago than the TTL, but not a fresh one', async () => {
    let clock = 1_000_000_000
    const space = keySpace(() => clock)
    space.keys.set(`${claimPrefix('k')}crashed`, clock - CLAIM_TTL_MS - 1)
    await expect(withCreateClaim(space, 'k', 'k', async () => 'ok', { now: () => clock })).resolves.toBe('ok')
    space.keys.set(`${claimPrefix('k2')}busy`, clock)
    let slept = 0
    const blocked = withCreateClaim(space, 'k2', 'k2', async () => 'ok', {
      now: () => clock,
      sleep: async () => {
        slept++
        clock += 1
      },
    })
    await expect(blocked).rejects.toThrow(/kept claiming/)
    expect(slept).toBeGreaterThan(10)
  })
})
