import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os'

export interface MachineInfo {
  readonly cpu: string
  readonly cores: number
  readonly memory: string
  readonly disk: string
  readonly os: string
  readonly kernel: string
  readonly node: string
  readonly commit: string
  /** 1-minute load averages when the run started and ended: other work on the machine shows here. */
  readonly load: string
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
    // Virtual disks often claim to rotate: the flag is reported as the kernel gives it, not interpreted.
    const rotational = readFileSync(`/sys/block/${basename(source).replace(/\d+$/, '')}/queue/rotational`, 'utf8').trim()
    kind = `, kernel rotational flag ${rotational}`
  } catch {
    // not a plain block device (overlay, tmpfs): leave the flag out
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

/** The 1-minute load average now, for the record (a busy machine slows every tool, unevenly). */
export function loadNow(): string {
  return (loadavg()[0] ?? 0).toFixed(2)
}

function commitOf(repoRoot: string): string {
  const commit = quiet('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']) || 'unknown'
  const dirty = quiet('git', ['-C', repoRoot, 'status', '--porcelain', '--', 'apps', 'packages']) !== ''
  return dirty ? `${commit} + uncommitted changes in apps/ or packages/` : commit
}

/** The machine a run measured, for the record next to its figures. */
export function describeMachine(scratchDir: string, repoRoot: string, loadAtStart: string): MachineInfo {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    disk: diskOf(scratchDir),
    os: osName(),
    kernel: release(),
    node: process.version,
    commit: commitOf(repoRoot),
    load: `${loadAtStart} at start, ${loadNow()} at end (1-minute load average)`,
  }
}
