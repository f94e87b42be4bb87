// Tidemark errors carry a stable `code` and an `exitCode`; this recognises them from any package.

export interface CodedError {
  readonly code: string
  readonly exitCode: number
  readonly message: string
}

export function isCodedError(error: unknown): error is Error & CodedError {
  const candidate = error as Partial<CodedError> | undefined
  return (
    error instanceof Error &&
    typeof candidate?.code === 'string' &&
    candidate.code.startsWith('TIDEMARK_ERR_') &&
    typeof candidate.exitCode === 'number'
  )
}

/** One line, for stderr and for JSON error bodies. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
