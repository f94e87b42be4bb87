import { createServer } from 'node:net'

/** A TCP port free on the loopback interface right now (the caller retries if it is taken later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') {
          resolve(address.port)
        } else {
          reject(new Error('no port assigned'))
        }
      })
    })
  })
}
