import type * as WalLibrary from '@tidemark/wal'
import { Command, Option } from 'commander'
import { packageVersion } from './version.js'

/** What the commands need from the outside world; tests replace it. */
export interface ProgramIo {
  readonly env: NodeJS.ProcessEnv
  readonly stdout: (text: string) => void
  /**
   * Starts `tidemark-wal prefetch-worker` detached (restore_command must return at once) and returns
   * its pid; s3Args are the S3 flags get was given, passed on so the worker reaches the same bucket.
   */
  readonly spawnPrefetch: (repo: string, spool: string, names: readonly string[], s3Args?: readonly string[], depth?: number) => number | undefined
  /** Installs the SIGINT/SIGTERM handlers once the library is loaded (main does; tests need not). */
  readonly onLibraryLoaded: (wal: WalModule) => void
}

type WalModule = typeof WalLibrary

interface RepoOption {
  readonly repo?: string
  readonly tokenFile?: string
  readonly s3Endpoint?: string
  readonly s3Region?: string
  readonly s3Profile?: string
  readonly s3PathStyle?: string | boolean
}

/** What openWalRepository needs from the options: the token file and the S3 flags. */
function repositoryOptions(options: RepoOption): WalLibrary.OpenRepositoryOptions {
  return {
    tokenFile: options.tokenFile,
    s3: { s3Endpoint: options.s3Endpoint, s3Region: options.s3Region, s3Profile: options.s3Profile, s3PathStyle: options.s3PathStyle },
  }
}

/** The S3 flags as arguments again, for the prefetch worker. */
export function s3Arguments(options: RepoOption): string[] {
  const args: string[] = []
  for (const [flag, value] of [
    ['--s3-endpoint', options.s3Endpoint],
    ['--s3-region', options.s3Region],
    ['--s3-profile', options.s3Profile],
  ] as const) {
    if (value !== undefined) {
      args.push(flag, value)
    }
  }
  if (options.s3PathStyle !== undefined) {
    args.push(`--s3-path-style=${String(options.s3PathStyle)}`)
  }
  return args
}

/** Runs fn on the repository, then releases it (an s3:// repository holds sockets). */
async function withRepository<T>(repository: WalLibrary.WalRepository, fn: (repository: WalLibrary.WalRepository) => Promise<T>): Promise<T> {
  try {
    return await fn(repository)
  } finally {
    await repository.close?.()
  }
}

/**
 * The tidemark-wal command line; main.ts parses process.argv with it, tests parse their own argv.
 * Actions import @tidemark/wal lazily and throw its errors; run.ts turns them into exit statuses.
 */
export function createProgram(io: Partial<ProgramIo> = {}): Command {
  const env = io.env ?? process.env
  const loadWal = async (): Promise<WalModule> => {
    const wal = await import('@tidemark/wal')
    io.onLibraryLoaded?.(wal)
    return wal
  }
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text))
  const program = new Command('tidemark-wal')
    .description('WAL archiving helpers for archive_command, restore_command and archive_cleanup_command')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-?, --help', 'show this help and exit')
  const repoOption = (): Option =>
    new Option(
      '--repo <dir|url>',
      'the WAL repository: a directory, s3://bucket/prefix, or http(s)://host:port of a tidemark-agent (default: $TIDEMARK_REPO)'
    )
  const s3Options = (): Option[] => [
    new Option('--s3-endpoint <url>', 'S3 endpoint (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, AWS)'),
    new Option('--s3-region <region>', 'S3 region (default: $AWS_REGION, the profile, us-east-1)'),
    new Option('--s3-profile <name>', 'profile of the shared AWS config and credentials files (default: $AWS_PROFILE)'),
    new Option('--s3-path-style [bool]', 'path-style addressing (default: $TIDEMARK_S3_PATH_STYLE; on for an IP or localhost endpoint)'),
  ]

  const tokenOption = (): Option =>
    new Option('--token-file <file>', 'the agent token for an http(s) repository (default: $TIDEMARK_TOKEN_FILE, $TIDEMARK_TOKEN)')

  program
    .command('push')
    .description("archive one WAL file (archive_command = 'tidemark-wal push --repo DIR %p %f')")
    .helpOption('-?, --help', 'show this help and exit')
    .addOption(repoOption())
    .addOption(tokenOption())
    .option('--compress <method[:level]>', 'none, gzip[:1-9], lz4 or zstd[:1-22]', 'none')
    .argument('<path>', '%p: the file to archive')
    .argument('<name>', '%f: its WAL file name')
    .action(async (path: string, name: string, options: RepoOption & { compress: string }) => {
      const wal = await loadWal()
      const compression = wal.parseCompressionSpec(options.compress)
      const repository = wal.openWalRepository(options.repo, env, repositoryOptions(options))
      await withRepository(repository, () => wal.pushWal({ repository, sourcePath: path, fileName: name, compression }))
    })

  program
    .command('get')
    .description("restore one WAL file (restore_command = 'tidemark-wal get --repo DIR %f %p'); exit 1 when not archived")
    .helpOption('-?, --help', 'show this help and exit')
    .addOption(repoOption())
    .addOption(tokenOption())
    .option('--prefetch <n>', 'fetch the next n segments ahead into pg_wal/.tidemark-prefetch', '0')
    .argument('<name>', '%f: the WAL file name asked for')
    .argument('<path>', '%p: where to write it')
    .action(async (name: string, path: string, options: RepoOption & { prefetch: string }) => {
      const wal = await loadWal()
      const prefetch = parsePrefetch(options.prefetch, wal.WalUsageError)
      const repository = wal.openWalRepository(options.repo, env, repositoryOptions(options))
      const spawnPrefetch = io.spawnPrefetch ?? (await import('./spawn-prefetch.js')).spawnPrefetch
      await withRepository(repository, () =>
        wal.restoreWal({
          repository,
          fileName: name,
          targetPath: path,
          prefetch,
          startPrefetch: async (spool, names, depth) => {
            const pid = spawnPrefetch(repository.location, spool, names, s3Arguments(options), depth)
            // Held for it while it starts: the next restore_command waits for it rather than start Node.js.
            if (pid !== undefined) {
              await wal.claimSpoolLock(spool, pid)
            }
          },
        })
      )
    })

  program
    .command('cleanup')
    .description("remove archived WAL older than %r (archive_cleanup_command = 'tidemark-wal cleanup --repo DIR %r')")
    .helpOption('-?, --help', 'show this help and exit')
    .addOption(repoOption())
    .option('-n, --dry-run', 'print the names that would be removed, remove nothing')
    .option('-x, --extension <ext>', 'strip this extension from %r')
    .option('-b, --clean-backup-history', 'also remove backup history (.backup) files')
    .argument('<oldest>', '%r: the oldest file to keep')
    .action(async (oldest: string, options: RepoOption & { dryRun?: boolean; extension?: string; cleanBackupHistory?: boolean }) => {
      const wal = await loadWal()
      const result = await withRepository(wal.openWalRepository(options.repo, env, repositoryOptions(options)), (repository) =>
        wal.cleanupWal({
          repository,
          oldestKept: oldest,
          dryRun: options.dryRun === true,
          removeBackupHistory: options.cleanBackupHistory === true,
          ...(options.extension ? { extension: options.extension } : {}),
        })
      )
      if (options.dryRun) {
        stdout(result.removed.map((removed) => `${removed}\n`).join(''))
      }
    })

  program
    .command('prefetch-worker', { hidden: true })
    .addOption(repoOption())
    .option('--depth <n>', 'segments to keep in the spool while recovery takes them', '0')
    .argument('<spool>')
    .argument('<names...>')
    .action(async (spool: string, names: string[], options: RepoOption & { depth: string }) => {
      const wal = await loadWal()
      const depth = parsePrefetch(options.depth, wal.WalUsageError)
      await withRepository(wal.openWalRepository(options.repo, env, repositoryOptions(options)), async (repository) => {
        // Following recovery keeps the spool ahead of it, so restore_command's shell fast path
        // (bin/tidemark-wal) finds nearly every segment there.
        const identity = depth > 0 ? await repository.readIdentity() : undefined
        return wal.fillSpool(repository, spool, names, identity ? { depth, segmentSize: identity.segmentSize } : undefined)
      })
    })

  // Every command that opens a repository takes the S3 flags every tidemark command shares.
  for (const command of program.commands) {
    for (const option of s3Options()) {
      command.addOption(option)
    }
  }
  return program
}

function parsePrefetch(text: string, UsageError: new (message: string) => Error): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value > 64) {
    throw new UsageError(`--prefetch "${text}": expected a number of segments from 0 to 64`)
  }
  return value
}
