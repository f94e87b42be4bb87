// --listen HOST:PORT (IPv6 in brackets), and whether an address only reaches this machine.
import { isIP } from 'node:net'
import { AgentUsageError } from '../errors.js'

export interface ListenAddress {
  readonly host: string
  readonly port: number
}

export const DEFAULT_PORT = 7433

export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim())
  const host = match?.[1] ?? match?.[2]
  const port = match?.[3] === undefined ? DEFAULT_PORT : Number(match[3])
  if (!host || port > 65535 || (match?.[1] !== undefined && isIP(host) !== 6)) {
    throw new AgentUsageError(`--listen "${text.slice(0, 80)}": expected HOST:PORT, e.g. 127.0.0.1:${DEFAULT_PORT} or [::1]:${DEFAULT_PORT}`)
  }
  return { host, port }
}

/** True for addresses no other machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopback(host: string): boolean {
  const lower = host.toLowerCase()
  return lower === 'localhost' || lower === '::1' || /^127(\.\d{1,3}){3}$/.test(lower) || lower === '::ffff:127.0.0.1'
}

export function formatListenAddress(address: ListenAddress): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`
}
