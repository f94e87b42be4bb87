// The object API of tidemark-agent (docs/agent.md, "Repository objects"), shared by its routes and by
// HttpStorage so both sides encode keys, ranges and listing pages the same way.
import { StorageUsageError } from './errors.js'
import type { ByteRange, ObjectInfo } from './storage.js'

/** GET/HEAD/PUT <OBJECTS_PATH>/<key>; GET <OBJECTS_PATH>?prefix=&limit=&after= lists. */
export const OBJECTS_PATH: string = '/v1/objects'
/** POST { keys: [...] } removes them (missing ones are fine). */
export const DELETE_OBJECTS_PATH: string = '/v1/delete-objects'
/** Keys per listing page and per delete request, at most. */
export const MAX_OBJECTS_PAGE: number = 1000
/** The object's exact modification time (Last-Modified has whole seconds only). */
export const LAST_MODIFIED_HEADER: string = 'x-tidemark-last-modified'
/** The whole object's size, on GET (ranged or not) and HEAD. */
export const OBJECT_SIZE_HEADER: string = 'x-tidemark-object-size'

/** One listing page as the agent sends it: keys in order; `next` continues after the last one. */
export interface ObjectsPage {
  readonly objects: readonly { readonly key: string; readonly size: number; readonly lastModified: string }[]
  readonly next: string | null
}

/** The URL path of a key: each segment percent-encoded, so any key character survives. */
export function objectPath(key: string): string {
  return `${OBJECTS_PATH}/${key.split('/').map(encodeURIComponent).join('/')}`
}

/** The query of a listing page. */
export function listQuery(prefix: string, limit: number, after: string | undefined): string {
  const query = new URLSearchParams({ prefix, limit: String(limit) })
  if (after !== undefined) {
    query.set('after', after)
  }
  return `${OBJECTS_PATH}?${query.toString()}`
}

/** The Range header of a ranged get; StorageUsageError for a range no server could honour. */
export function rangeHeader(key: string, range: ByteRange): string {
  const { start, end } = range
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new StorageUsageError(`${key}: invalid byte range ${JSON.stringify(range)}`)
  }
  return `bytes=${start}-${end ?? ''}`
}

/** A `bytes=a-b` or `bytes=a-` header as a range; undefined without one; StorageUsageError otherwise (no suffix or multiple ranges). */
export function parseRangeHeader(header: string | undefined): ByteRange | undefined {
  if (header === undefined || header.trim() === '') {
    return undefined
  }
  const match = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim())
  if (!match) {
    throw new StorageUsageError(`Range ${JSON.stringify(header.slice(0, 60))}: expected bytes=START-[END]`)
  }
  const start = Number(match[1])
  const end = match[2] === '' || match[2] === undefined ? undefined : Number(match[2])
  if (end !== undefined && end < start) {
    throw new StorageUsageError(`Range ${header}: the end is before the start`)
  }
  return end === undefined ? { start } : { start, end }
}

/** A listing page's entries as ObjectInfo, checked: a malformed page is an error, never a silently short listing. */
export function parseObjectsPage(document: unknown, where: string): { objects: ObjectInfo[]; next: string | undefined } {
  const page = document as Partial<ObjectsPage> | null
  if (!page || !Array.isArray(page.objects) || (page.next !== null && typeof page.next !== 'string')) {
    throw new StorageUsageError(`${where} did not answer with a listing page: is it a tidemark-agent?`)
  }
  const objects = page.objects.map((entry) => {
    const lastModified = new Date(entry.lastModified)
    if (typeof entry.key !== 'string' || !Number.isSafeInteger(entry.size) || Number.isNaN(lastModified.getTime())) {
      throw new StorageUsageError(`${where} sent a malformed listing entry ${JSON.stringify(entry).slice(0, 100)}`)
    }
    return { key: entry.key, size: entry.size, lastModified }
  })
  return { objects, next: page.next ?? undefined }
}
