// A minimal AWS Signature V4 signer for the fixture's own few requests (create a bucket), so the
// fixture needs no S3 SDK. Path-style, empty body.
import { createHash, createHmac } from 'node:crypto'

export interface SignedRequestInput {
  readonly method: string
  readonly endpoint: string
  readonly path: string
  readonly region: string
  readonly accessKey: string
  readonly secretKey: string
  readonly now?: Date
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex')

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}

/** The headers of a signed request with an empty body. */
export function signedHeaders(input: SignedRequestInput): Record<string, string> {
  const url = new URL(input.path, input.endpoint)
  const amzDate = (input.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
  const day = amzDate.slice(0, 8)
  const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': amzDate }
  const names = Object.keys(headers).sort()
  const canonical = [
    input.method,
    url.pathname,
    '',
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    EMPTY_SHA256,
  ].join('\n')
  const scope = `${day}/${input.region}/s3/aws4_request`
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n')
  let key = hmac(`AWS4${input.secretKey}`, day)
  for (const part of [input.region, 's3', 'aws4_request']) {
    key = hmac(key, part)
  }
  const signature = createHmac('sha256', key).update(toSign).digest('hex')
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  }
}
