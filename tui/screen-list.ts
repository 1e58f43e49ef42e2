/** The console's screens and the single keys that reach them (shown in the footer and help). */
export type ScreenId = 'overview' | 'scans' | 'jobs' | 'folders' | 'access' | 'audit' | 'maintenance';

export interface ScreenEntry {
  id: ScreenId;
  key: string;
  title: string;
  /** Shorter title for the footer at 80 columns. */
  short: string;
  /** What it is for, on the help screen. */
  about: string;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'overview', key: '1', title: 'Overview', short: 'Overview', about: 'health, folders, scans today, jobs, disk, certificate, audit' },
  { id: 'scans', key: '2', title: 'Scans', short: 'Scans', about: 'find scans, read reports, assign to a patient, re-run jobs' },
  { id: 'jobs', key: '3', title: 'Jobs', short: 'Jobs', about: 'running, queued and failed jobs with reasons; retry, cancel' },
  { id: 'folders', key: '4', title: 'Folders', short: 'Folders', about: 'watched folders: add, pause, remove, test rules, quarantine' },
  { id: 'access', key: '5', title: 'Access', short: 'Access', about: 'users and API clients, roles, tokens (create, revoke)' },
  { id: 'audit', key: '6', title: 'Audit', short: 'Audit', about: 'verify the audit chain, browse and filter events, export' },
  { id: 'maintenance', key: '7', title: 'Maintenance', short: 'Maint', about: 'backup, key rotation, retention and legal holds, log tail' },
];
