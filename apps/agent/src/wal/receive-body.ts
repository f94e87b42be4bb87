// Streams a request body into a new file, refusing more than `limit` bytes (the file is removed).
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AgentBodyTooLargeError } from '../errors.js'

export async function receiveBody(body: Readable, path: string, limit: number): Promise<number> {
  let received = 0
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      received += chunk.byteLength
      if (received > limit) {
        callback(new AgentBodyTooLargeError(`the body exceeds ${limit} bytes`))
        return
      }
      callback(null, chunk)
    },
  })
  try {
    await pipeline(body, limiter, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  return received
}
