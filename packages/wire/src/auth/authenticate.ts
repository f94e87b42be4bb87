// The startup exchange after the startup packet: answers each Authentication request according
// to the server's flavor, until ReadyForQuery. Detects openGauss on the way (reference §1): no
// NegotiateProtocolVersion in answer to a 3.51 startup, or a code-10 request whose payload starts
// with an int32 stored method instead of a SASL mechanism name.
import type { TLSSocket } from 'node:tls'
import type { ChannelBindingMode } from '../connect-options.js'
import {
  AuthenticationError,
  ChannelBindingError,
  ProtocolError,
  ServerError,
  UnsupportedAuthError,
  type ServerMessageFields,
} from '../errors.js'
import { frontend } from '../frontend-message.js'
import type { MessagePump } from '../message-pump.js'
import { tlsServerEndPoint } from './channel-binding.js'
import { md5PasswordResponse } from './md5.js'
import {
  decodeMd5Sha256Request,
  decodeSha256Request,
  md5Sha256Response,
  sha256Proof,
  StoredMethod,
} from './opengauss-sha256.js'
import { SCRAM_SHA_256, SCRAM_SHA_256_PLUS, scramContinue, scramFinish, scramStart, type ScramContinue, type ScramState } from './scram.js'

export type ServerFlavor = 'postgresql' | 'opengauss'

const enum AuthRequest {
  Ok = 0,
  KerberosV5 = 2,
  Cleartext = 3,
  Md5 = 5,
  Gss = 7,
  GssContinue = 8,
  Sspi = 9,
  /** PostgreSQL: SASL; openGauss: sha256. */
  Sasl = 10,
  /** PostgreSQL: SASL continue; openGauss: md5_sha256. */
  SaslContinue = 11,
  /** PostgreSQL: SASL final; openGauss lite mode: sha256 RFC. */
  SaslFinal = 12,
  /** openGauss: SM3. */
  Sm3 = 13,
}

const MAX_STORED_METHOD = 3
const INT32_LENGTH = 4

export interface AuthContext {
  readonly pump: MessagePump
  readonly write: (data: Buffer) => void
  readonly user: string
  readonly tls: TLSSocket | undefined
  readonly channelBinding: ChannelBindingMode
  /** The protocol minor the startup packet asked for. */
  readonly requestedMinor: number
  /** 'auto' decides from the server's answers. */
  readonly flavorHint: ServerFlavor | 'auto'
  /** Resolves the password (option, PGPASSWORD, .pgpass, then the callback) or throws PasswordRequiredError. */
  readonly password: () => Promise<string>
}

export interface AuthOutcome {
  readonly flavor: ServerFlavor
  readonly protocolMinor: number
}

/** Maps an ErrorResponse during startup: class 28 (invalid authorization) to AuthenticationError. */
export function startupError(fields: ServerMessageFields): Error {
  if (fields.code?.startsWith('28')) {
    return new AuthenticationError(fields.message, fields.code, { cause: new ServerError(fields) })
  }
  return new ServerError(fields)
}

function looksLikeOpenGaussSha256(data: Buffer): boolean {
  if (data.length < INT32_LENGTH) {
    return false
  }
  const method = data.readInt32BE(0)
  return method >= 0 && method <= MAX_STORED_METHOD
}

/** Runs the exchange until ReadyForQuery; throws AuthenticationError, ServerError or a protocol error. */
export async function authenticate(ctx: AuthContext): Promise<AuthOutcome> {
  let negotiated: number | undefined
  let flavor: ServerFlavor | undefined
  let scram: { state: ScramState; expected?: ScramContinue } | undefined
  let usedChannelBinding = false
  const decideFlavor = (): ServerFlavor => {
    flavor ??=
      negotiated !== undefined ? 'postgresql'
        : ctx.flavorHint !== 'auto' ? ctx.flavorHint
          : ctx.requestedMinor > 0 ? 'opengauss' : 'postgresql'
    return flavor
  }
  for (;;) {
    const message = await ctx.pump.next()
    switch (message.name) {
      case 'negotiateProtocolVersion':
        negotiated = Math.min(message.newestMinor, ctx.requestedMinor)
        flavor = 'postgresql'
        break
      case 'backendKeyData':
        break
      case 'error':
        throw startupError(message.fields)
      case 'readyForQuery':
        return { flavor: decideFlavor(), protocolMinor: negotiated ?? ctx.requestedMinor }
      case 'authentication': {
        const { request, data } = message
        if (request === AuthRequest.Sasl && flavor === undefined && negotiated === undefined && looksLikeOpenGaussSha256(data)) {
          flavor = 'opengauss'
        }
        const serverFlavor = decideFlavor()
        switch (request) {
          case AuthRequest.Ok:
            if (ctx.channelBinding === 'require' && !usedChannelBinding) {
              throw new ChannelBindingError('channel binding required, but the server authenticated the client without it')
            }
            break
          case AuthRequest.Cleartext:
            ctx.write(frontend.password(await ctx.password()))
            break
          case AuthRequest.Md5:
            if (data.length < INT32_LENGTH) {
              throw new ProtocolError('md5 authentication request without a salt')
            }
            ctx.write(frontend.password(md5PasswordResponse(ctx.user, await ctx.password(), data.subarray(0, INT32_LENGTH))))
            break
          case AuthRequest.Sasl:
            if (serverFlavor === 'opengauss') {
              await answerOpenGaussSha256(ctx, data)
            } else {
              scram = await startScram(ctx, data)
              usedChannelBinding = scram.state.channelBinding !== undefined
            }
            break
          case AuthRequest.SaslContinue:
            if (serverFlavor === 'opengauss') {
              const { salt, md5Salt } = decodeMd5Sha256Request(data)
              ctx.write(frontend.password(md5Sha256Response(await ctx.password(), salt, md5Salt)))
            } else {
              if (!scram) {
                throw new ProtocolError('SASL continue without a SASL exchange')
              }
              scram.expected = scramContinue(scram.state, data.toString('utf8'), await ctx.password())
              ctx.write(frontend.saslResponse(scram.expected.clientFinal))
            }
            break
          case AuthRequest.SaslFinal:
            if (serverFlavor === 'opengauss') {
              throw new UnsupportedAuthError('openGauss lite-mode sha256 (RFC 5802) authentication is not supported')
            }
            if (!scram?.expected) {
              throw new ProtocolError('SASL final without a SASL exchange')
            }
            scramFinish(scram.expected, data.toString('utf8'))
            break
          case AuthRequest.Sm3:
            throw new UnsupportedAuthError('openGauss sm3 authentication is not supported; store the password as sha256')
          case AuthRequest.KerberosV5:
          case AuthRequest.Gss:
          case AuthRequest.GssContinue:
          case AuthRequest.Sspi:
            throw new UnsupportedAuthError(`the server asks for Kerberos/GSSAPI/SSPI authentication (request ${request}), which is not supported`)
          default:
            throw new UnsupportedAuthError(`the server asks for an unknown authentication method (request ${request})`)
        }
        break
      }
      default:
        throw new ProtocolError(`unexpected ${message.name} message during authentication`)
    }
  }
}

async function startScram(ctx: AuthContext, data: Buffer): Promise<{ state: ScramState }> {
  const mechanisms = data.toString('utf8').split('\0').filter((name) => name !== '')
  const plusOffered = mechanisms.includes(SCRAM_SHA_256_PLUS)
  const usePlus = ctx.tls !== undefined && plusOffered && ctx.channelBinding !== 'disable'
  if (ctx.channelBinding === 'require' && !usePlus) {
    throw new ChannelBindingError(
      ctx.tls ? 'channel binding is required, but the server does not offer SCRAM-SHA-256-PLUS' : 'channel binding is required, but the connection does not use TLS'
    )
  }
  if (!usePlus && !mechanisms.includes(SCRAM_SHA_256)) {
    throw new UnsupportedAuthError(`none of the server's SASL mechanisms is supported (${mechanisms.join(', ')})`)
  }
  // Fail before the exchange starts when there is no password to prove.
  await ctx.password()
  const binding = usePlus && ctx.tls ? tlsServerEndPoint(ctx.tls.getPeerCertificate().raw) : undefined
  const start = scramStart({ tlsInUse: ctx.tls !== undefined && ctx.channelBinding !== 'disable', ...(binding ? { channelBinding: binding } : {}) })
  ctx.write(frontend.saslInitialResponse(start.mechanism, start.clientFirst))
  return { state: start.state }
}

async function answerOpenGaussSha256(ctx: AuthContext, data: Buffer): Promise<void> {
  const request = decodeSha256Request(data, ctx.requestedMinor)
  const password = await ctx.password()
  if (request.storedMethod === StoredMethod.Md5) {
    ctx.write(frontend.password(md5PasswordResponse(ctx.user, password, request.md5Salt)))
    return
  }
  ctx.write(frontend.password(sha256Proof(password, request.salt, request.token, request.iterations)))
}
