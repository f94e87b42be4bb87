/** The programs the cases run; a missing one turns its cases into "n/a (reason)". */
export const TOOL_NAMES = ['tidemark', 'tidemark-wal', 'pg_basebackup', 'pgbackrest', 'dd', 'cp', 'node'] as const
export type ToolName = (typeof TOOL_NAMES)[number]

export interface ToolInfo {
  readonly path: string
  /** The version line the tool printed, when it has one. */
  readonly version?: string
  /** Why the tool cannot be used; its cases are reported as n/a with this reason. */
  readonly missing?: string
}

export type Toolbox = Readonly<Record<ToolName, ToolInfo>>
