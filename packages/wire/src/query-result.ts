// Simple-query results and the reader that collects them until ReadyForQuery or a COPY starts.
import type { FieldDescription } from './backend-message.js'
import { ProtocolError, ServerError, type ServerMessageFields } from './errors.js'
import type { MessagePump, NextOptions } from './message-pump.js'

export interface QueryResult {
  /** The CommandComplete tag ('SELECT', 'IDENTIFY_SYSTEM'…), '' for an empty query. */
  readonly command: string
  readonly fields: readonly FieldDescription[]
  readonly rows: readonly (readonly (string | null)[])[]
}

/** One column's value from a row, by column name. */
export function columnValue(result: QueryResult, row: number, name: string): string | null | undefined {
  const index = result.fields.findIndex((field) => field.name === name)
  if (index < 0) {
    return undefined
  }
  return result.rows[row]?.[index]
}

export type ResultsEnd = 'readyForQuery' | 'copyOutResponse' | 'copyBothResponse'

/**
 * Reads result sets until ReadyForQuery, or until a CopyOut/CopyBoth response when `stopAtCopy`.
 * An ErrorResponse is remembered, the rest is read up to ReadyForQuery, then ServerError is thrown.
 */
export async function readResults(pump: MessagePump, stopAtCopy: boolean, next: NextOptions = {}): Promise<{ results: QueryResult[]; end: ResultsEnd }> {
  const results: QueryResult[] = []
  let fields: FieldDescription[] | undefined
  let rows: (string | null)[][] = []
  let error: ServerMessageFields | undefined
  for (;;) {
    const message = await pump.next(next)
    switch (message.name) {
      case 'rowDescription':
        fields = [...message.fields]
        rows = []
        break
      case 'dataRow':
        if (!fields) {
          throw new ProtocolError('DataRow without a RowDescription')
        }
        rows.push([...message.values])
        break
      case 'commandComplete':
        results.push({ command: message.tag, fields: fields ?? [], rows })
        fields = undefined
        rows = []
        break
      case 'emptyQuery':
        results.push({ command: '', fields: [], rows: [] })
        break
      case 'error':
        error ??= message.fields
        break
      case 'readyForQuery':
        if (error) {
          throw new ServerError(error)
        }
        return { results, end: 'readyForQuery' }
      case 'copyOutResponse':
      case 'copyBothResponse':
        if (!stopAtCopy) {
          throw new ProtocolError(`unexpected ${message.name}; use the streaming API for COPY commands`)
        }
        if (fields) {
          // A result set that the server ended by starting a COPY (no CommandComplete) still counts.
          results.push({ command: '', fields, rows })
        }
        return { results, end: message.name }
      case 'copyData':
      case 'copyDone':
      case 'copyInResponse':
      case 'notification':
      case 'backendKeyData':
      case 'authentication':
      case 'negotiateProtocolVersion':
      case 'parameterStatus':
      case 'notice':
        if (message.name === 'notification') {
          break
        }
        throw new ProtocolError(`unexpected ${message.name} message in a query's results`)
    }
  }
}
