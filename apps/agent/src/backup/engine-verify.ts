// The real VerifyRunner: @tidemark/backup's verifyBackup (manifest, checksums, WAL from start to end).
import { verifyBackup } from '@tidemark/backup'
import { AgentVerifyFailedError } from '../errors.js'
import type { VerifyRunner } from '../jobs/runners.js'

const PROBLEMS_NAMED = 3

export const engineVerifyRunner: VerifyRunner = async (request) => {
  const result = await verifyBackup(request.repository ?? request.backupDir, {
    signal: request.signal,
    onProgress: (progress) => request.onProgress({ doneBytes: progress.doneBytes, totalBytes: progress.totalBytes }),
  })
  if (!result.ok) {
    const named = result.problems.slice(0, PROBLEMS_NAMED).map((problem) => `${problem.file}: ${problem.detail}`)
    const more = result.problems.length > PROBLEMS_NAMED ? `; and ${result.problems.length - PROBLEMS_NAMED} more` : ''
    throw new AgentVerifyFailedError(`the backup has ${result.problems.length} problem(s): ${named.join('; ')}${more}`)
  }
}
