import { describe, expect, it } from 'vitest'
import { parseLsn } from '@tidemark/wal'
import { checkWalChain } from './pitr-wal-chain.js'

const MB16 = 16 * 1024 * 1024
const one = [{ timeline: 1, begin: 0n, end: undefined }]

describe('checkWalChain', () => {
  it('accepts an unbroken chain and names its last segment', () => {
    const archived = ['000000010000000000000002', '000000010000000000000003', '000000010000000000000004', '00000001.history']
    const chain = checkWalChain({ archived, segmentSize: MB16, path: one, start: parseLsn('0/2000028'), requiredEnd: parseLsn('0/3000100') })
    expect(chain).toEqual({ missing: [], holes: [], last: '000000010000000000000004' })
  })

  it('names segments missing between the backup start and end', () => {
    const archived = ['000000010000000000000002', '000000010000000000000004']
    const chain = checkWalChain({ archived, segmentSize: MB16, path: one, start: parseLsn('0/2000028'), requiredEnd: parseLsn('0/4000100') })
    expect(chain.missing).toEqual(['000000010000000000000003'])
  })

  it('names a hole after the required range when later WAL is archived', () => {
    const archived = ['000000010000000000000002', '000000010000000000000004']
    const chain = checkWalChain({ archived, segmentSize: MB16, path: one, start: parseLsn('0/2000028'), requiredEnd: parseLsn('0/2000100') })
    expect(chain).toEqual({ missing: [], holes: ['000000010000000000000003'], last: '000000010000000000000002' })
  })

  it('reads the switch segment and later ones from the newer timeline, ignoring the old timeline past the switch', () => {
    const path = [
      { timeline: 1, begin: 0n, end: parseLsn('0/3000200') },
      { timeline: 2, begin: parseLsn('0/3000200'), end: undefined },
    ]
    const archived = ['000000010000000000000002', '000000010000000000000005', '000000020000000000000003', '000000020000000000000004']
    const chain = checkWalChain({ archived, segmentSize: MB16, path, start: parseLsn('0/2000028'), requiredEnd: parseLsn('0/2000100') })
    expect(chain).toEqual({ missing: [], holes: [], last: '000000020000000000000004' })
  })
})
