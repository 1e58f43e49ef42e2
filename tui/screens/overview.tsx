/**
 * Overview: is the daemon well, what came in, what runs (live progress), the folders, disk,
 * certificate and audit state, and the last errors. Each line stands alone: a source that
 * fails shows its reason on its own line and the others stay live.
 */
import { useState, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { ProgressBar } from '../components/progress-bar.js';
import { ErrorLine } from '../components/status-line.js';
import { ago, bytes, duration, fit, reasonWithoutName, when } from '../format.js';
import type { ApiState } from '../hooks/use-api.js';
import { useEventsState, useLiveEvents, type LiveEvent } from '../hooks/use-events.js';
import { useOverview } from '../hooks/use-overview.js';
import { useSite } from '../site.js';
import { toneOf, useTheme, type Tone } from '../theme.js';
import { isUnreachable } from '../connection.js';

const LABEL = 9;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text wrap="truncate-end"><Text bold>{label.padEnd(LABEL)}</Text>{children}</Text>
  );
}

/** A source's line: its content, or why it has none. */
function Fact<T>({ label, state, render }: { label: string; state: ApiState<T>; render(data: T): ReactNode }) {
  const theme = useTheme();
  if (state.data !== undefined) return <Row label={label}>{render(state.data)}{state.error ? <Text color={theme.tone('bad')}> (stale: {state.error})</Text> : null}</Row>;
  if (state.error) return <Row label={label}><Text color={theme.tone('dim')}>unknown — {state.error}</Text></Row>;
  return <Row label={label}><Text color={theme.tone('dim')}>…</Text></Row>;
}

function quarantinedText(folder: string, file: string, reason: string | null): string {
  return `quarantined ${file} (${folder}): ${reason ? reasonWithoutName(reason, file) : 'no reason recorded'}`;
}

/** Quarantined files this recent count among the recent errors. */
const RECENT_MS = 7 * 86_400_000;

function problemText(e: LiveEvent): string {
  const d = e.data;
  switch (e.name) {
    case 'scan.quarantined': return quarantinedText(String(d.objectId ?? d.folder), String(d.file), d.reason === undefined || d.reason === null ? null : String(d.reason));
    case 'job.finished': return `job #${String(d.jobId)} ${String(d.kind)} failed: ${String(d.error ?? 'no reason')}`;
    case 'folder.state': return `folder ${String(d.folder)}: ${String(d.message ?? 'error')}`;
    case 'scan.validated': return `scan ${String(d.objectId ?? d.uid)} rejected${d.reason ? `: ${String(d.reason)}` : ' (see the scan)'}`;
    default: return e.name;
  }
}

export function OverviewScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const o = useOverview(useSite());
  const events = useEventsState();
  const [live, setLive] = useState<Record<number, { progress: number; stage: string | null }>>({});
  useLiveEvents(['job.progress'], (e) => {
    const id = Number(e.data.jobId);
    setLive((l) => ({ ...l, [id]: { progress: Number(e.data.progress) || 0, stage: (e.data.stage as string | null) ?? null } }));
  });
  const tone = (t: Tone | undefined) => (t ? theme.tone(t) : undefined);
  if (isUnreachable(o.health.failure)) {
    return (
      <Box flexDirection="column" width={width} height={height} paddingY={1}>
        <Text bold color={tone('bad')}>Cannot reach the daemon</Text>
        <Text wrap="wrap">{o.health.error}</Text>
        <Text> </Text>
        <Text color={tone('dim')} wrap="wrap">The console tries again every 5 seconds and shows the overview as soon as the daemon answers.</Text>
      </Box>
    );
  }
  const running = o.jobs.data?.running ?? [];
  const folders = o.folders.data ?? [];
  const maxJobs = Math.max(1, Math.min(4, height - 18));
  const maxFolders = Math.max(1, Math.min(4, height - 17 - Math.min(running.length, maxJobs)));

  const errors: Array<{ at: string; text: string }> = [
    ...events.problems.map((p) => ({ at: new Date(p.at).toISOString(), text: problemText(p) })),
    ...(o.jobs.data?.failed ?? []).map((j) => ({ at: j.finishedAt ?? j.createdAt, text: `job #${j.id} ${j.kind} failed: ${j.error ?? 'no reason'}` })),
    ...folders.filter((f) => f.state === 'error').map((f) => ({ at: '', text: `folder ${f.name}: ${f.message ?? 'error'}` })),
    ...(o.quarantine.data ?? []).filter((q) => Date.now() - Date.parse(q.quarantinedAt) < RECENT_MS)
      .map((q) => ({ at: q.quarantinedAt, text: quarantinedText(q.folder, q.file, q.reason) })),
  ];
  const seen = new Set<string>();
  const uniqueErrors = errors.filter((e) => (seen.has(e.text) ? false : (seen.add(e.text), true)));
  // What health says needs a person (disk full, a damaged database): a warning line each, at most two.
  const warnings = (o.health.data?.problems ?? []).slice(0, 2);
  const used = 8 + warnings.length + Math.min(running.length, maxJobs) + Math.min(Math.max(folders.length, 1), maxFolders) + (folders.length > maxFolders ? 1 : 0);
  const errorRows = Math.max(1, height - used - 1);

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Fact label="Daemon" state={o.health} render={(h) => (
        <Text>
          <Text color={tone(toneOf(h.status))}>{h.status}</Text> · v{h.version} · up {duration(h.uptimeSeconds)}
          {/* The database always; the disk and the integrity check only when they need a look (80 columns). */}
          {h.checks ? Object.entries(h.checks).filter(([k, v]) => k === 'database' || (v !== 'ok' && v !== 'unchecked')).map(([k, v]) => <Text key={k}> · {k} <Text color={tone(toneOf(v === 'ok' ? 'ok' : v === 'low' ? 'warn' : 'error'))}>{v}</Text></Text>) : null}
          {' · '}<Text color={tone(events.connected ? 'ok' : 'warn')}>{events.connected ? 'live' : 'not live'}</Text>
        </Text>
      )} />
      {warnings.map((w) => <Row key={w} label="Warning"><Text color={tone(/corrupt|full/.test(w) ? 'bad' : 'warn')}>{w}</Text></Row>)}
      <Fact label="Scans" state={o.scans} render={(s) => {
        const cap = (n: number) => (s.capped && n >= 500 ? '500+' : String(n));
        return (
          <Text>today {cap(s.today)} · this week {cap(s.week)} · <Text color={tone(s.unassigned > 0 ? 'warn' : undefined)}>unassigned {cap(s.unassigned)}</Text>
            {s.photos ? <Text> · photos today {s.photos.today}{s.photos.toCheck > 0 ? <Text color={tone('warn')}> ({s.photos.toCheck} to check)</Text> : null}</Text> : null}
          </Text>
        );
      }} />
      <Fact label="Jobs" state={o.jobs} render={(j) => (
        <Text>{j.running.length} running · {j.queued}{j.capped ? '+' : ''} queued · <Text color={tone(j.failed.length ? 'bad' : undefined)}>{j.failed.length >= 5 ? '5+' : j.failed.length} failed</Text></Text>
      )} />
      {running.slice(0, maxJobs).map((j) => {
        const p = live[j.id];
        return (
          <Text key={j.id} wrap="truncate-end">
            {' '.repeat(LABEL)}#{j.id} {j.kind.padEnd(9)} <ProgressBar fraction={p?.progress ?? j.progress} width={20} label={fit(p?.stage ?? j.stage ?? '', 14)} />
          </Text>
        );
      })}
      <Fact label="Folders" state={o.folders} render={(f) => (f.length === 0 ? <Text color={tone('warn')}>none watched — add one on the Folders screen (4)</Text> : <Text>{f.length} watched</Text>)} />
      {folders.slice(0, maxFolders).map((f) => {
        const held = (o.quarantine.data ?? []).filter((q) => q.folder === f.name).length;
        return (
          <Text key={f.name} wrap="truncate-end">
            {' '.repeat(LABEL)}<Text color={tone(toneOf(f.state))}>● {f.state.padEnd(9)}</Text>{fit(f.name, 16, true)} {held > 0 ? <Text color={tone('warn')}>{held} in quarantine · </Text> : null}
            <Text color={tone('dim')}>{f.message ?? f.path}</Text>
          </Text>
        );
      })}
      {folders.length > maxFolders ? <Text>{' '.repeat(LABEL)}<Text color={tone('dim')}>… and {folders.length - maxFolders} more (screen 4)</Text></Text> : null}
      <Fact label="Disk" state={o.disk} render={(d) => {
        const pct = d.totalBytes > 0 ? d.freeBytes / d.totalBytes : 0;
        return <Text color={tone(pct < 0.05 ? 'bad' : pct < 0.15 ? 'warn' : undefined)}>{bytes(d.freeBytes)} free of {bytes(d.totalBytes)} ({Math.round(pct * 100)}%) for the data folder</Text>;
      }} />
      <Fact label="TLS" state={o.cert} render={(c) => {
        const days = (Date.parse(c.expiresAt) - Date.now()) / 86_400_000;
        return <Text color={tone(days < 0 ? 'bad' : days < 30 ? 'warn' : undefined)}>certificate {days < 0 ? 'EXPIRED' : 'valid'} until {when(c.expiresAt).slice(0, 10)} ({ago(c.expiresAt)})</Text>;
      }} />
      <Fact label="Audit" state={o.audit} render={(a) => (a.lastVerification
        ? <Text color={tone(a.lastVerification.ok ? 'ok' : 'bad')}>chain verified {ago(a.lastVerification.at)} by {a.lastVerification.by}: {a.lastVerification.ok ? `intact${a.lastVerification.events !== null ? ` (${a.lastVerification.events} events)` : ''}` : 'BROKEN — verify again on screen 6'}</Text>
        : <Text color={tone('warn')}>never verified — press 6, then v</Text>)} />
      <Fact label="Signed" state={o.audit} render={(a) => (a.lastCheckpoint
        ? <Text>checkpoint at event #{a.lastCheckpoint.seq}, {ago(a.lastCheckpoint.at)}{a.head !== null && a.head > a.lastCheckpoint.seq ? ` · ${a.head - a.lastCheckpoint.seq} events since` : ''}</Text>
        : <Text color={tone('dim')}>no checkpoint signed yet</Text>)} />
      <Text bold>Recent errors</Text>
      {uniqueErrors.length === 0
        ? <Text color={tone('dim')}>{' '.repeat(LABEL)}none{events.connected ? '' : ' known (the event stream is not connected)'}</Text>
        : uniqueErrors.slice(0, errorRows).map((e, i) => <Text key={i} wrap="truncate-end" color={tone('bad')}> ✗ {e.at ? `${when(e.at).slice(11)} ` : ''}{e.text}</Text>)}
      {o.health.error && o.health.data === undefined ? <ErrorLine error={o.health.error} /> : null}
    </Box>
  );
}
