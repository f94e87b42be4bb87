// Create-only puts where the server lacks `If-None-Match: *`: a claim protocol, race-safe on any
// strongly consistent S3 server (AWS since 2020, Ceph RGW). A writer
//   1. refuses if the key exists (HEAD);
//   2. writes its own claim object `<dir>/.tidemark-claim-<hash of name>-<uuid>` (a unique key: no race);
//   3. lists the key's claims: it goes on only if its own claim is the only live one — otherwise it
//      removes its claim, waits a jittered backoff and starts again at 1 (two writers that see each
//      other both back off; at most one ever sees only itself);
//   4. checks again that the key does not exist, writes it, and removes its claim.
// A claim older than CLAIM_TTL_MS (by the server's LastModified against this machine's clock) counts as
// left by a crashed writer and is ignored: the protocol assumes clocks within that margin and no writer
// stalling that long between steps 2 and 4.
import { createHash, randomUUID } from 'node:crypto'
import { StorageExistsError, StorageRequestError } from './errors.js'
import { RESERVED_PREFIX } from './object-key.js'
import { backoffDelay } from './retry.js'
import type { RetryPolicy } from './retry.js'

export const CLAIM_TTL_MS: number = 10 * 60_000
const CLAIM_POLICY: RetryPolicy = { attempts: 30, baseDelayMs: 50, maxDelayMs: 2_000 }

export interface ClaimOps {
  exists(fullKey: string): Promise<boolean>
  putMarker(fullKey: string): Promise<void>
  list(prefix: string): Promise<readonly { readonly key: string; readonly lastModified: Date }[]>
  remove(fullKey: string): Promise<void>
}

/** The prefix of every claim for fullKey (in the same "directory", hidden from listings). */
export function claimPrefix(fullKey: string): string {
  const slash = fullKey.lastIndexOf('/')
  const dir = slash < 0 ? '' : fullKey.slice(0, slash + 1)
  const hash = createHash('sha256').update(fullKey.slice(slash + 1)).digest('hex').slice(0, 32)
  return `${dir}${RESERVED_PREFIX}claim-${hash}-`
}

/** Runs write() only if fullKey does not exist and no other writer holds a claim on it. */
export async function withCreateClaim<T>(
  ops: ClaimOps,
  fullKey: string,
  key: string,
  write: () => Promise<T>,
  options: { readonly now?: () => number; readonly sleep?: (ms: number) => Promise<void> } = {}
): Promise<T> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const prefix = claimPrefix(fullKey)
  const exists = (): StorageExistsError => new StorageExistsError(`${key} already exists; it was not replaced`)
  for (let round = 1; round <= CLAIM_POLICY.attempts; round++) {
    if (await ops.exists(fullKey)) {
      throw exists()
    }
    const claim = `${prefix}${randomUUID()}`
    await ops.putMarker(claim)
    try {
      const live = (await ops.list(prefix)).filter((c) => c.key === claim || now() - c.lastModified.getTime() < CLAIM_TTL_MS)
      if (live.length === 1 && live[0]?.key === claim) {
        if (await ops.exists(fullKey)) {
          throw exists()
        }
        return await write()
      }
    } finally {
      await ops.remove(claim)
    }
    await sleep(backoffDelay(round, CLAIM_POLICY))
  }
  throw new StorageRequestError(`${key}: other writers kept claiming the key; the create-only put gave up (nothing was stored)`)
}
