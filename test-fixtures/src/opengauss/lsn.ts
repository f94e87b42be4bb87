// LSN text form as the server prints it: `%X/%X` (upper-case hex, no padding).

/** Formats an LSN the way `snprintf("%X/%X")` does. */
export function formatLsn(lsn: bigint): string {
  const high = lsn >> 32n
  const low = lsn & 0xffff_ffffn
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`
}

/** Parses `X/X` (either case); throws on anything else. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim())
  if (!match?.[1] || !match[2]) {
    throw new Error(`invalid LSN "${text}"`)
  }
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`)
}

/** WAL segment file name `TTTTTTTTXXXXXXXXYYYYYYYY` of the segment holding `lsn`. */
export function walSegmentName(timeline: number, lsn: bigint, segmentSize: number): string {
  const segNo = lsn / BigInt(segmentSize)
  const perId = 0x1_0000_0000n / BigInt(segmentSize)
  const hex = (value: bigint): string => value.toString(16).toUpperCase().padStart(8, '0')
  return `${hex(BigInt(timeline))}${hex(segNo / perId)}${hex(segNo % perId)}`
}
