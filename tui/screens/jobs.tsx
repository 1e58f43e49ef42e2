/**
 * Jobs: what runs, what waits, what failed and why. Progress bars move with the event
 * stream; an admin retries a failed job or cancels a queued or running one (asked first).
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { CuspClient } from '../../src/api/client.js';
import type { JobDto } from '../../src/api/schemas/job.js';
import { Confirm } from '../components/confirm.js';
import { KeyHints } from '../components/key-hints.js';
import { ProgressBar } from '../components/progress-bar.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { ago, fit } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useLiveEvents, useRefreshOn } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { toneOf, useTheme } from '../theme.js';

const VIEWS = ['attention', 'running', 'queued', 'failed', 'done', 'cancelled', 'all'] as const;
type View = (typeof VIEWS)[number];

const VIEW_TITLE: Record<View, string> = {
  attention: 'running, queued and failed', running: 'running', queued: 'queued', failed: 'failed', done: 'done', cancelled: 'cancelled', all: 'all',
};

const ATTENTION = ['running', 'queued', 'failed'];

/**
 * The jobs of a view: "attention" is running, then queued, then failed. Those are three
 * reads, one after the other, so a job that moved on between them (running → failed) is
 * listed once, in the state of the later read.
 */
export async function fetchJobs(c: CuspClient, view: View): Promise<JobDto[]> {
  const page = (state?: string) => c.call<{ jobs: JobDto[] }>('GET', '/jobs', { query: { state, limit: 100 } }).then((r) => r.jobs);
  if (view !== 'attention') return page(view === 'all' ? undefined : view);
  const byId = new Map<number, JobDto>();
  for (const state of ATTENTION) for (const j of await page(state)) byId.set(j.id, j);
  return [...byId.values()].sort((a, b) => ATTENTION.indexOf(a.state) - ATTENTION.indexOf(b.state) || b.id - a.id);
}

export function JobsScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const [view, setView] = useState<View>('attention');
  const [selected, setSelected] = useState(0);
  const [confirm, setConfirm] = useState<{ question: string; act: () => void } | undefined>(undefined);
  const [live, setLive] = useState<Record<number, { progress: number; stage: string | null }>>({});
  const jobs = useApi((c) => fetchJobs(c, view), [view], { intervalMs: 30_000 });
  const action = useAction();
  useRefreshOn(['job.queued', 'job.started', 'job.finished'], jobs.refresh);
  useLiveEvents(['job.progress'], (e) => {
    const id = Number(e.data.jobId);
    setLive((l) => ({ ...l, [id]: { progress: Number(e.data.progress) || 0, stage: (e.data.stage as string | null) ?? null } }));
  });

  const list = jobs.data ?? [];
  const job = list[Math.min(selected, list.length - 1)];
  useKeymap({
    t: () => {
      setView(VIEWS[(VIEWS.indexOf(view) + 1) % VIEWS.length]);
      setSelected(0);
    },
    r: () => {
      if (!job) return;
      if (job.state !== 'failed' && job.state !== 'cancelled') return action.say(`job ${job.id} is ${job.state} — only a failed or cancelled job can be retried`, false);
      void action.run(`retry job ${job.id}`, (c) => c.call<JobDto>('POST', `/jobs/${job.id}/retry`), (j) => `job ${j.id} (${j.kind}) is ${j.state} again`, jobs.refresh);
    },
    c: () => {
      if (!job) return;
      if (job.state !== 'queued' && job.state !== 'running') return action.say(`job ${job.id} is ${job.state} — only a queued or running job can be cancelled`, false);
      setConfirm({
        question: `Cancel job ${job.id} (${job.kind}${job.state === 'running' ? ', running now' : ''})?`,
        act: () => void action.run(`cancel job ${job.id}`, (c) => c.call<JobDto>('POST', `/jobs/${job.id}/cancel`), (j) => `job ${j.id} ${j.state}`, jobs.refresh),
      });
    },
  }, { active: confirm === undefined });

  const counts = VIEWS.slice(1, 4).map((st) => `${list.filter((j) => j.state === st).length} ${st}`).join(' · ');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end"><Text bold>Showing:</Text> {VIEW_TITLE[view]} <Text color={theme.tone('dim')}>({view === 'attention' ? counts : `${list.length} jobs`})</Text></Text>
      <Text bold wrap="truncate-end">{' '}{'Job'.padEnd(7)}{'Kind'.padEnd(10)}{'State'.padEnd(10)}{'Try'.padEnd(5)}{'Progress / reason'}</Text>
      <SelectList items={list} selected={Math.min(selected, Math.max(0, list.length - 1))} onSelect={setSelected} height={height - 7} rowKey={(j) => j.id} active={confirm === undefined}
        empty={jobs.loading ? 'loading…' : `no ${VIEW_TITLE[view]} jobs`}
        row={(j) => {
          const p = live[j.id];
          return (
            <Text>
              {`#${j.id}`.padEnd(7)}{j.kind.padEnd(10)}<Text color={theme.tone(toneOf(j.state) ?? 'dim')}>{j.state.padEnd(10)}</Text>{`${j.attempts}/${j.maxAttempts}`.padEnd(5)}
              {j.state === 'running'
                ? <ProgressBar fraction={p?.progress ?? j.progress} width={16} label={p?.stage ?? j.stage ?? undefined} />
                : j.state === 'queued' ? <Text color={theme.tone('dim')}>waiting since {ago(j.createdAt)}</Text>
                  : <Text>{fit(j.error ?? (j.finishedAt ? `finished ${ago(j.finishedAt)}` : ''), width - 34)}</Text>}
            </Text>
          );
        }} />
      <Text wrap="truncate-end" color={theme.tone('dim')}>{job ? `scan ${job.scan ?? '—'} · created ${ago(job.createdAt)}${job.startedAt ? ` · started ${ago(job.startedAt)}` : ''}` : ' '}</Text>
      <Box height={2} overflow="hidden"><Text wrap="wrap" color={theme.tone(job?.error ? 'bad' : 'dim')}>{job?.error ? fit(`Reason: ${job.error}`, 2 * width - 2) : ' '}</Text></Box>
      {confirm
        ? <Confirm question={confirm.question} onYes={() => { const act = confirm.act; setConfirm(undefined); act(); }} onNo={() => { setConfirm(undefined); action.say('nothing done'); }} />
        : jobs.error ? <ErrorLine error={jobs.error} /> : <StatusLine {...action.status} />}
      <KeyHints hints={[['↑↓', 'select'], ['t', 'show running/queued/failed/…'], ['r', 'retry'], ['c', 'cancel']]} />
    </Box>
  );
}
