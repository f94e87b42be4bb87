// Pure checks of archive member names for safe extraction.
import { posix } from 'node:path'

/** The path components of a member name, or a reason it is refused (absolute, '..', NUL, empty). */
export function safeEntryParts(name: string): { parts: string[] } | { refused: string } {
  if (name.includes('\0')) {
    return { refused: 'the name contains a NUL byte' }
  }
  if (name.startsWith('/')) {
    return { refused: 'absolute names are not allowed' }
  }
  const parts = name.split('/').filter((part) => part !== '' && part !== '.')
  if (parts.includes('..')) {
    return { refused: "names with '..' are not allowed" }
  }
  return { parts }
}

/** Whether `path` is `root` or inside it (both absolute and normalised). */
export function isInside(path: string, root: string): boolean {
  const normalRoot = root.length > 1 ? root.replace(/\/+$/, '') : root
  return path === normalRoot || path.startsWith(normalRoot === '/' ? '/' : `${normalRoot}/`)
}

/** Whether `path` lies in one of the roots. */
export function isInsideAny(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => isInside(posix.normalize(path), root))
}
