// What the server leaves out of (or changes in) the base tar: `IsSkipDir`/`IsSkipPath`/`sendDir`
// in basebackup.cpp as the reference §1 and §5 summarise them.

/** Files and directories never sent (paths relative to PGDATA). */
const EXCLUDED_PATHS: ReadonlySet<string> = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'gs_gazelle.conf',
  'standby_read',
  'backup_label',
  'disable_conn_file',
  'global/config_exec_params',
  'gaussdb.state',
  'gs_build.pid',
  'disc_readonly_test',
  'pg_rewind_bak',
  'pg_rewind_filemap',
  'full_upgrade_bak',
  'delay_xlog_recycle',
  'delay_ddl_recycle',
  // The log directory (log_directory's default).
  'pg_log',
  // Sent as separate relative-tablespace tars.
  'pg_location',
])

/** Sent only when the client's application_name is gs_basebackup (`clientIsGsBasebackup`). */
const GS_BASEBACKUP_ONLY_PATTERNS: readonly RegExp[] = [
  /^postgresql\.conf/,
  /^pg_ctl\.lock$/,
  /^server\.(crt|key)$/,
  /^cacert\.pem$/,
  /^server\.crl$/,
  /^server\.key\.(cipher|rand)$/,
  /^client\.(crt|key)$/,
]

/** Directories whose contents are not sent (the directory itself is, empty). */
const EMPTIED_DIRECTORIES: readonly string[] = ['pg_xlog', 'pg_errorinfo', 'pg_tblspc']

export type BaseEntryDecision = 'send' | 'skip' | 'hold-back'

export function decideBaseEntry(path: string, isGsBasebackup: boolean): BaseEntryDecision {
  const top = path.split('/')[0] ?? path
  if (EXCLUDED_PATHS.has(path) || EXCLUDED_PATHS.has(top)) {
    return 'skip'
  }
  if (path.split('/').some((part) => part.startsWith('pgsql_tmp'))) {
    return 'skip'
  }
  if (path.startsWith('global/pg_dw')) {
    return 'skip'
  }
  if (EMPTIED_DIRECTORIES.some((emptied) => path.startsWith(`${emptied}/`))) {
    return 'skip'
  }
  if (!isGsBasebackup && !path.includes('/') && GS_BASEBACKUP_ONLY_PATTERNS.some((pattern) => pattern.test(path))) {
    return 'skip'
  }
  if (path === 'global/pg_control') {
    return 'hold-back'
  }
  return 'send'
}
