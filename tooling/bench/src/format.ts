/** Seconds with as many decimals as their size deserves. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) {
    return seconds.toFixed(3)
  }
  if (seconds < 10) {
    return seconds.toFixed(2)
  }
  return seconds.toFixed(1)
}

export function formatRatio(ratio: number): string {
  return ratio.toFixed(2)
}

/** KiB or bytes as MB (10^6 bytes would mislead next to RSS, so MiB, written MB as ps does). */
export function formatMb(bytes: number): string {
  const mb = bytes / 1024 / 1024
  return mb < 10 ? mb.toFixed(1) : mb.toFixed(0)
}

/** A reason fit for one table cell: one line, no pipes, not too long. */
export function cellText(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').replaceAll('|', '/').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
