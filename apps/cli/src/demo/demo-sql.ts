// One-value queries on a server the demo did not start through the fixtures (the recovered one).
import { columnValue, connect, type ConnectionParameters } from '@tidemark/wire'

/** Runs sql and returns column `v` of its first row. */
export async function queryValue(parameters: ConnectionParameters, sql: string): Promise<string> {
  const connection = await connect(parameters)
  try {
    const [result] = await connection.query(sql)
    return result ? (columnValue(result, 0, 'v') ?? '') : ''
  } finally {
    await connection.close()
  }
}

/** Polls until fn is true (every 100 ms, at most timeoutMs). */
export async function waitUntil(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
