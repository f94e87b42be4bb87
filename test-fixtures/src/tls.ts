import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface TlsFiles {
  readonly caCert: string
  readonly serverCert: string
  readonly serverKey: string
  readonly clientCert: string
  readonly clientKey: string
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' })
}

/**
 * A throw-away CA, a server certificate for localhost / 127.0.0.1 and a client certificate for
 * `clientUser`, made with the openssl CLI in dir.
 */
export function makeTlsFiles(dir: string, clientUser = 'postgres'): TlsFiles {
  const files: TlsFiles = {
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  }
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=tidemark-test-ca',
    '-keyout', 'ca.key', '-out', 'ca.crt'], dir)
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir)
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'san.ext', '-out', 'server.crt'], dir)
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${clientUser}`, '-keyout', 'client.key', '-out', 'client.csr'], dir)
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-out', 'client.crt'], dir)
  return files
}
