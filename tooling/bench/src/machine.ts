import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { availableParallelism, cpus, release, totalmem } from 'node:os'

export interface MachineInfo {
  readonly cpu: string
  readonly cores: number
  readonly memory: string
  readonly disk: string
  readonly os: string
  readonly kernel: string
  readonly node: string
  readonly commit: string
}

function quiet(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

function diskOf(dir: string): string {
  const line = quiet('df', ['-h', '--output=source,fstype,size,avail', dir]).split('\n')[1]?.trim()
  if (line === undefined || line === '') {
    return 'unknown'
  }
  const [source = '', fstype = '', size = '', avail = ''] = line.split(/\s+/)
  let kind = ''
  try {
    const rotational = readFileSync(`/sys/block/${basename(source).replace(/\d+$/, '')}/queue/rotational`, 'utf8').trim()
    kind = rotational === '0' ? ', non-rotational' : ', rotational'
  } catch {
    // not a plain block device (overlay, tmpfs): leave the kind out
  }
  return `${source} (${fstype}${kind}), ${size}, ${avail} free`
}

function osName(): string {
  try {
    const line = readFileSync('/etc/os-release', 'utf8').split('\n').find((l) => l.startsWith('PRETTY_NAME='))
    return line?.slice('PRETTY_NAME='.length).replaceAll('"', '') ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** The machine a run measured, for the record next to its figures. */
export function describeMachine(scratchDir: string, repoRoot: string): MachineInfo {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    disk: diskOf(scratchDir),
    os: osName(),
    kernel: release(),
    node: process.version,
    commit: quiet('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']) || 'unknown',
  }
}
