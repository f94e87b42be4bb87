// PostgreSQL's md5 password exchange: "md5" + md5hex(md5hex(password + user) + salt).
import { createHash } from 'node:crypto'

function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex')
}

/** The PasswordMessage text answering AuthenticationMD5Password with a 4-byte salt. */
export function md5PasswordResponse(user: string, password: string, salt: Buffer): string {
  const inner = md5Hex(Buffer.from(password + user, 'utf8'))
  return `md5${md5Hex(Buffer.concat([Buffer.from(inner, 'latin1'), salt]))}`
}
