/** The measured groups, in the order a run takes them. */
export const GROUPS = ['backup', 'push', 'get'] as const
export type Group = (typeof GROUPS)[number]

export const GROUP_TITLES: Readonly<Record<Group, string>> = {
  backup: 'Full backup (seconds per backup)',
  push: 'archive_command (seconds per call, mean of the round)',
  get: 'restore_command loop (seconds for all segments)',
}
