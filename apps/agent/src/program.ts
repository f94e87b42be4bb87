import { Command, Option } from 'commander'
import type { RawSettings } from './config/agent-config.js'
import { packageVersion } from './version.js'

/** What the program needs from the outside world; tests replace it. */
export interface ProgramIo {
  readonly env: NodeJS.ProcessEnv
  /** Resolves with the signal that stops the agent (default: SIGTERM or SIGINT). */
  readonly stopSignal: () => Promise<string>
}

interface Flags {
  readonly config?: string
  readonly listen?: string
  readonly tokenFile?: string
  readonly repo?: string
  readonly pg?: string
  readonly tlsCert?: string
  readonly tlsKey?: string
  readonly insecureHttp?: boolean
  readonly logLevel: string
  readonly s3Endpoint?: string
  readonly s3Region?: string
  readonly s3Profile?: string
  readonly s3PathStyle?: string | boolean
}

/** The tidemark-agent command line; main.ts parses process.argv with it, tests parse their own argv. */
export function createProgram(io: Partial<ProgramIo> = {}): Command {
  const env = io.env ?? process.env
  return new Command('tidemark-agent')
    .description('The per-node Tidemark agent: backups, the WAL archive over HTTP, and metrics')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-?, --help', 'show this help and exit')
    .option('--config <file>', 'JSON config file (default: $TIDEMARK_AGENT_CONFIG or /etc/tidemark/agent.json if present)')
    .option('--listen <host:port>', 'address to listen on (default 127.0.0.1:7433)')
    .option('--token-file <file>', 'bearer tokens, one per line; mode 0600')
    .option('--repo <dir|url>', 'the repository (WAL and backups): a directory or s3://bucket/prefix')
    .option('--s3-endpoint <url>', 'S3 endpoint (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, AWS)')
    .option('--s3-region <region>', 'S3 region (default: $AWS_REGION, the profile, us-east-1)')
    .option('--s3-profile <name>', 'profile of the shared AWS config and credentials files (default: $AWS_PROFILE)')
    .option('--s3-path-style [bool]', 'path-style addressing (default: $TIDEMARK_S3_PATH_STYLE; on for an IP or localhost endpoint)')
    .option('--pg <conninfo>', 'the database to back up and watch (conninfo or postgresql:// URI)')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--insecure-http', 'allow plain HTTP on a non-loopback address')
    .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'))
    .action(async (flags: Flags) => {
      const { readConfigFile, resolveConfig, settingsFromEnv } = await import('./config/agent-config.js')
      const fromFlags: RawSettings = {
        ...(flags.listen !== undefined ? { listen: flags.listen } : {}),
        ...(flags.tokenFile !== undefined ? { tokenFile: flags.tokenFile } : {}),
        ...(flags.repo !== undefined ? { repo: flags.repo } : {}),
        ...(flags.pg !== undefined ? { pg: flags.pg } : {}),
        ...(flags.tlsCert !== undefined ? { tlsCert: flags.tlsCert } : {}),
        ...(flags.tlsKey !== undefined ? { tlsKey: flags.tlsKey } : {}),
        ...(flags.insecureHttp === true ? { insecureHttp: true } : {}),
      }
      const s3 = { s3Endpoint: flags.s3Endpoint, s3Region: flags.s3Region, s3Profile: flags.s3Profile, s3PathStyle: flags.s3PathStyle }
      const config = { ...resolveConfig(await readConfigFile(flags.config, env), settingsFromEnv(env), fromFlags), s3 }
      const { serve } = await import('./serve.js')
      await serve(config, { stopSignal: io.stopSignal ?? stopSignal, logLevel: flags.logLevel, env })
    })
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      resolve(signal)
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
}
