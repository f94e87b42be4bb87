// Opens the byte stream to the server: TCP or a Unix socket, then TLS per sslmode
// (SSLRequest, a one-byte answer, then the handshake on the same socket).
import { existsSync, readFileSync } from 'node:fs'
import { isIP, connect as netConnect, type Socket } from 'node:net'
import { join } from 'node:path'
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls'
import { ConnectError, TlsError } from './errors.js'
import { frontend } from './frontend-message.js'
import { isSocketDirectory, type HostTarget, type ResolvedParameters, type SslMode } from './connect-options.js'
import { SocketReads } from './socket-reads.js'

const SSL_ACCEPTED = 0x53 // S
const SSL_REFUSED = 0x4e // N

export interface Transport {
  readonly socket: Socket | TLSSocket
  readonly tls: TLSSocket | undefined
  /** The reads of a plain socket (undefined under TLS, which reads the socket itself). */
  readonly reads: SocketReads | undefined
}

/** The socket file libpq uses inside a socket directory. */
export function socketPath(target: HostTarget): string {
  return join(target.host, `.s.PGSQL.${target.port}`)
}

export function describeTarget(target: HostTarget): string {
  return isSocketDirectory(target.host)
    ? `socket "${socketPath(target)}"`
    : `server at "${target.host}", port ${target.port}`
}

function openSocket(target: HostTarget, reads: SocketReads, deadline: Deadline): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Reads go into one reused buffer (socket-reads.ts); a TLS upgrade later takes the socket over.
    const socket = isSocketDirectory(target.host)
      ? netConnect({ path: socketPath(target), onread: reads.onread })
      : netConnect({ host: target.host, port: target.port, onread: reads.onread })
    const cancel = deadline.onExpire(() => {
      socket.destroy()
      reject(new ConnectError(`connection to ${describeTarget(target)} timed out`))
    })
    socket.once('connect', () => {
      cancel()
      socket.removeAllListeners('error')
      socket.setNoDelay(true)
      socket.setKeepAlive(true)
      resolve(socket)
    })
    socket.once('error', (error) => {
      cancel()
      reject(new ConnectError(`could not connect to ${describeTarget(target)}: ${error.message}`, { cause: error }))
    })
  })
}

/** A connect deadline shared by every step of establishing one connection. */
export class Deadline {
  readonly #at: number | undefined
  constructor(timeoutMs: number | undefined) {
    this.#at = timeoutMs === undefined ? undefined : Date.now() + timeoutMs
  }
  get remainingMs(): number | undefined {
    return this.#at === undefined ? undefined : Math.max(0, this.#at - Date.now())
  }
  onExpire(callback: () => void): () => void {
    const remaining = this.remainingMs
    if (remaining === undefined) {
      return () => undefined
    }
    const timer = setTimeout(callback, remaining)
    return () => clearTimeout(timer)
  }
}

function readOneByte(socket: Socket, reads: SocketReads, deadline: Deadline): Promise<number> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      cancel()
      reads.setHandler(undefined)
      socket.off('error', onError)
      socket.off('end', onEnd)
    }
    const onBytes = (bytes: Buffer): boolean => {
      cleanup()
      // Nothing may follow the answer before the handshake (CVE-2021-23222).
      if (bytes.length > 1) {
        socket.destroy()
        reject(new TlsError('the server sent unencrypted data after its answer to the SSL request'))
        return false
      }
      resolve(bytes[0] as number)
      return true
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(new ConnectError(`the connection failed during SSL negotiation: ${error.message}`, { cause: error }))
    }
    const onEnd = (): void => {
      cleanup()
      reject(new ConnectError('the server closed the connection during SSL negotiation'))
    }
    const cancel = deadline.onExpire(() => {
      cleanup()
      socket.destroy()
      reject(new ConnectError('SSL negotiation timed out'))
    })
    socket.once('error', onError)
    socket.once('end', onEnd)
    reads.setHandler(onBytes)
  })
}

function readOptionalFile(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined
}

function handshake(socket: Socket, target: HostTarget, params: ResolvedParameters, deadline: Deadline): Promise<TLSSocket> {
  let mode: SslMode = params.sslmode
  let ca: Buffer | undefined
  if (params.sslrootcert !== 'system') {
    ca = readOptionalFile(params.sslrootcert)
    if (mode === 'require' && ca !== undefined) {
      // libpq: with a root certificate present, require behaves as verify-ca.
      mode = 'verify-ca'
    }
    if ((mode === 'verify-ca' || mode === 'verify-full') && ca === undefined) {
      socket.destroy()
      return Promise.reject(new TlsError(`root certificate file "${params.sslrootcert}" does not exist; give sslrootcert or use sslmode=require`))
    }
  }
  const verify = mode === 'verify-ca' || mode === 'verify-full'
  const cert = readOptionalFile(params.sslcert)
  const key = cert === undefined ? undefined : readOptionalFile(params.sslkey)
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined && key !== undefined ? { cert, key } : {}),
      rejectUnauthorized: verify,
      checkServerIdentity: (_host, peer) => (mode === 'verify-full' ? checkServerIdentity(target.host, peer) : undefined),
    })
    const cancel = deadline.onExpire(() => {
      tls.destroy()
      reject(new ConnectError('TLS handshake timed out'))
    })
    tls.once('secureConnect', () => {
      cancel()
      tls.removeAllListeners('error')
      resolve(tls)
    })
    tls.once('error', (error) => {
      cancel()
      tls.destroy()
      reject(new TlsError(`TLS with ${describeTarget(target)} failed: ${error.message}`, { cause: error }))
    })
  })
}

/** Connects and, when `useTls`, negotiates TLS. 'N' is an error only for require and the verify modes. */
export async function openTransport(target: HostTarget, params: ResolvedParameters, useTls: boolean, deadline: Deadline): Promise<Transport> {
  const reads = new SocketReads()
  const socket = await openSocket(target, reads, deadline)
  if (!useTls || isSocketDirectory(target.host)) {
    return { socket, tls: undefined, reads }
  }
  socket.write(frontend.sslRequest())
  const answer = await readOneByte(socket, reads, deadline)
  if (answer === SSL_ACCEPTED) {
    const tls = await handshake(socket, target, params, deadline)
    return { socket: tls, tls, reads: undefined }
  }
  if (answer === SSL_REFUSED) {
    if (params.sslmode === 'require' || params.sslmode === 'verify-ca' || params.sslmode === 'verify-full') {
      socket.destroy()
      throw new TlsError(`the ${describeTarget(target)} does not support SSL, but sslmode=${params.sslmode} requires it`)
    }
    return { socket, tls: undefined, reads }
  }
  socket.destroy()
  throw new TlsError(`unexpected answer 0x${answer.toString(16)} to the SSL request`)
}
