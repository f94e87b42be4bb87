// The agent's settings from flags, the environment and a JSON config file; flags win over the
// environment, which wins over the file. Pure apart from reading the file.
import { readFile } from 'node:fs/promises'
import type { S3Flags } from '@tidemark/storage'
import { AgentConfigError, AgentInsecureListenError, AgentTlsError, AgentUsageError } from '../errors.js'
import { isLoopback, parseListenAddress, type ListenAddress } from './listen-address.js'

export const DEFAULT_CONFIG_FILE = '/etc/tidemark/agent.json'
export const CONFIG_ENV = 'TIDEMARK_AGENT_CONFIG'

/** A setting: its config file key, environment variable and flag. */
const SETTINGS = {
  listen: { env: 'TIDEMARK_AGENT_LISTEN', flag: '--listen' },
  tokenFile: { env: 'TIDEMARK_AGENT_TOKEN_FILE', flag: '--token-file' },
  repo: { env: 'TIDEMARK_AGENT_REPO', flag: '--repo' },
  pg: { env: 'TIDEMARK_AGENT_PG', flag: '--pg' },
  tlsCert: { env: 'TIDEMARK_AGENT_TLS_CERT', flag: '--tls-cert' },
  tlsKey: { env: 'TIDEMARK_AGENT_TLS_KEY', flag: '--tls-key' },
  insecureHttp: { env: 'TIDEMARK_AGENT_INSECURE_HTTP', flag: '--insecure-http' },
} as const

export type SettingName = keyof typeof SETTINGS
export type RawSettings = { readonly [K in SettingName]?: K extends 'insecureHttp' ? boolean : string }

export interface AgentConfig {
  readonly listen: ListenAddress
  readonly tokenFile: string
  /** The repository — a directory or s3://bucket/prefix: WAL under wal/, backups under backups/. */
  readonly repo: string
  /** --s3-endpoint, --s3-region, --s3-profile, --s3-path-style for an s3:// repository (over the AWS environment). */
  readonly s3?: S3Flags | undefined
  /** A conninfo string or URI for the database; without it, no backups and no server metrics. */
  readonly pg: string | undefined
  readonly tls: { readonly cert: string; readonly key: string } | undefined
  readonly insecureHttp: boolean
}

/** The config file's settings: explicitly named files must exist, the default one may not. */
export async function readConfigFile(path: string | undefined, env: NodeJS.ProcessEnv): Promise<RawSettings> {
  const named = path ?? env[CONFIG_ENV]
  const file = named ?? DEFAULT_CONFIG_FILE
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (named === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {}
    }
    throw new AgentConfigError(`config file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error })
  }
  return parseConfigFile(text, file)
}

export function parseConfigFile(text: string, file: string): RawSettings {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new AgentConfigError(`config file ${file} is not valid JSON`, { cause: error })
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new AgentConfigError(`config file ${file} must hold one JSON object`)
  }
  const settings: Record<string, string | boolean> = {}
  for (const [key, value] of Object.entries(document)) {
    if (!(key in SETTINGS)) {
      throw new AgentConfigError(`config file ${file}: unknown key "${key}" (known: ${Object.keys(SETTINGS).join(', ')})`)
    }
    if (key === 'insecureHttp' ? typeof value !== 'boolean' : typeof value !== 'string') {
      throw new AgentConfigError(`config file ${file}: "${key}" must be a ${key === 'insecureHttp' ? 'boolean' : 'string'}`)
    }
    settings[key] = value as string | boolean
  }
  return settings as RawSettings
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): RawSettings {
  const settings: Record<string, string | boolean> = {}
  for (const [name, { env: variable }] of Object.entries(SETTINGS)) {
    const value = env[variable]
    if (value === undefined || value === '') {
      continue
    }
    if (name === 'insecureHttp') {
      if (!/^(1|true|yes|0|false|no)$/i.test(value)) {
        throw new AgentUsageError(`${variable}="${value.slice(0, 20)}": expected true or false`)
      }
      settings[name] = /^(1|true|yes)$/i.test(value)
    } else {
      settings[name] = value
    }
  }
  return settings as RawSettings
}

/** Merges the layers (later wins) and checks the result: required settings, TLS pairs, loopback rule. */
export function resolveConfig(...layers: readonly RawSettings[]): AgentConfig {
  const merged: Record<string, string | boolean | undefined> = {}
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) {
        merged[key] = value
      }
    }
  }
  const text = (name: SettingName): string | undefined => {
    const value = merged[name]
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  }
  const required = (name: SettingName): string => {
    const value = text(name)
    if (value === undefined) {
      const { flag, env } = SETTINGS[name]
      throw new AgentUsageError(`no ${flag}: give ${flag}, set ${env}, or put "${name}" in the config file`)
    }
    return value
  }
  const listen = parseListenAddress(text('listen') ?? '127.0.0.1')
  const cert = text('tlsCert')
  const key = text('tlsKey')
  if ((cert === undefined) !== (key === undefined)) {
    throw new AgentTlsError('--tls-cert and --tls-key go together: give both or neither')
  }
  const tls = cert !== undefined && key !== undefined ? { cert, key } : undefined
  const insecureHttp = merged['insecureHttp'] === true
  if (!tls && !insecureHttp && !isLoopback(listen.host)) {
    throw new AgentInsecureListenError(
      `refusing to listen on ${listen.host} without TLS: bearer tokens and WAL would cross the network in clear; ` +
        'give --tls-cert and --tls-key, listen on 127.0.0.1, or pass --insecure-http'
    )
  }
  return { listen, tokenFile: required('tokenFile'), repo: required('repo'), pg: text('pg'), tls, insecureHttp }
}
