import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { addConnectionOptions, connectionInput, type ConnectionOptionValues } from './connection-options.js'
import { addRecoveryTargetOptions, recoveryTargetInput, type RecoveryTargetOptionValues } from './recovery-target-options.js'

function parse<T>(add: (command: Command) => Command, argv: string[]): T {
  const command = add(new Command('x').exitOverride().configureOutput({ writeErr: () => undefined }))
  command.parse(argv, { from: 'user' })
  return command.opts<T & object>()
}

describe('addRecoveryTargetOptions', () => {
  it('hands the target options to the recovery input as given', () => {
    const values = parse<RecoveryTargetOptionValues>(addRecoveryTargetOptions, [
      '--target-name', 'rp', '--target-inclusive', 'false', '--target-timeline', '2', '--target-action', 'promote',
    ])
    expect(recoveryTargetInput(values)).toEqual({
      targetName: 'rp',
      targetTime: undefined,
      targetXid: undefined,
      targetLsn: undefined,
      targetImmediate: undefined,
      targetInclusive: 'false',
      targetTimeline: '2',
      targetAction: 'promote',
    })
    expect(recoveryTargetInput(parse(addRecoveryTargetOptions, ['--target-immediate'])).targetImmediate).toBe(true)
  })

  it('refuses an unknown target action', () => {
    expect(() => parse(addRecoveryTargetOptions, ['--target-action', 'stop'])).toThrow(/Allowed choices are pause, promote, shutdown/)
  })
})

describe('addConnectionOptions', () => {
  it('reads -d -h -p -U like the PostgreSQL tools', () => {
    const values = parse<ConnectionOptionValues>(addConnectionOptions, ['-h', '/tmp', '-p', '5433', '-U', 'rep', '-d', 'postgres'])
    expect(connectionInput(values)).toEqual({ host: '/tmp', port: 5433, user: 'rep', dbname: 'postgres' })
    expect(connectionInput(parse(addConnectionOptions, []))).toEqual({})
  })

  it('refuses a port that is not 1-65535', () => {
    expect(() => parse(addConnectionOptions, ['-p', '0'])).toThrow(/expected an integer from 1 to 65535/)
    expect(() => parse(addConnectionOptions, ['-p', '5432x'])).toThrow(/expected an integer/)
  })
})
