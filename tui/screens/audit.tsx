/**
 * Audit: verify the whole chain (with the daemon's progress and the time it takes), browse events
 * with a filter, page forward, and export the trail to a file on this machine.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { CuspClient } from '../../src/api/client.js';
import { formatAuditFilter, parseAuditFilter, type AuditFilter } from '../audit-filter.js';
import { KeyHints } from '../components/key-hints.js';
import { ProgressBar } from '../components/progress-bar.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { TextInput } from '../components/text-input.js';
import { bytes, duration, fit, when } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useLiveEvents } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

interface AuditEventDto { seq: number; time: string; actor: string; action: string; object: string | null; outcome: string; source: string | null; details: Record<string, unknown> }
interface VerifyDto { ok: boolean; events: number; headSeq: number; checkpoints: number; fileCheckpoints: number; lastCheckpoint?: { seq: number; time: string }; problems: Array<{ seq: number | null; message: string }> }

type Mode = { kind: 'list' } | { kind: 'filter' } | { kind: 'export' };

/** Stream the export to `file`; resolves to its size. */
export async function exportAudit(client: CuspClient, format: 'fhir' | 'syslog', file: string): Promise<number> {
  const { response } = await client.openStream('/audit/export', { format }, { Accept: '*/*' });
  let size = 0;
  response.on('data', (c: Buffer) => (size += c.length));
  await pipeline(response, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return size;
}

/**
 * A verification under way: the daemon's progress events (events checked of how many)
 * as a bar, with the time it has taken so far.
 */
function Verifying({ since, progress }: { since: number; progress?: { done: number; total: number } }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : 0;
  const label = progress ? `${progress.done} of ${progress.total} events · ${duration((now - since) / 1000)}` : `starting · ${duration((now - since) / 1000)}`;
  return <ProgressBar fraction={fraction} width={16} label={label} />;
}

export function AuditScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
  const [filter, setFilter] = useState<AuditFilter>({ from: today });
  const [pages, setPages] = useState<number[]>([0]);
  const since = pages[pages.length - 1];
  const events = useApi((c) => c.call<{ events: AuditEventDto[]; next: number | null }>('GET', '/audit', { query: { ...filter, since, limit: 200 } }), [JSON.stringify(filter), since]);
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [verify, setVerify] = useState<{ started: number; result?: VerifyDto } | undefined>(undefined);
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>(undefined);
  useLiveEvents(['audit.verify.progress'], (ev) => setProgress({ done: Number(ev.data.done) || 0, total: Number(ev.data.total) || 0 }));
  const action = useAction();
  const list = events.data?.events ?? [];
  const e = list[Math.min(selected, list.length - 1)];

  const runVerify = () => {
    const started = Date.now();
    setVerify({ started });
    setProgress(undefined);
    void action.run('verify the audit chain', (c) => c.call<VerifyDto>('POST', '/audit/verify'),
      (r) => (r.ok ? `chain intact: ${r.events} events, ${r.checkpoints} signed checkpoints` : `chain BROKEN: ${r.problems[0]?.message ?? 'see the report'}`),
      (result) => setVerify({ started, result })).then((r) => { if (!r) setVerify(undefined); });
  };
  useKeymap({
    v: runVerify,
    f: () => setMode({ kind: 'filter' }),
    e: () => setMode({ kind: 'export' }),
    n: () => { if (events.data?.next) { setPages((p) => [...p, events.data!.next!]); setSelected(0); } },
    b: () => { if (pages.length > 1) { setPages((p) => p.slice(0, -1)); setSelected(0); } },
  }, { active: mode.kind === 'list' });

  const v = verify?.result;
  const verifyLine = verify && !v ? <Verifying since={verify.started} progress={progress} />
    : v ? (
      <Text wrap="truncate-end" color={theme.tone(v.ok ? 'ok' : 'bad')}>
        {v.ok ? '✓ intact' : `✗ BROKEN at event #${v.problems[0]?.seq ?? '?'}: ${v.problems[0]?.message ?? ''}`} · {v.events} events · head #{v.headSeq} · {v.checkpoints} checkpoints (file {v.fileCheckpoints}){v.lastCheckpoint ? ` · last #${v.lastCheckpoint.seq} ${when(v.lastCheckpoint.time)}` : ''}
      </Text>
    ) : <Text color={theme.tone('dim')}>not verified in this session — press v</Text>;

  let prompt = null;
  if (mode.kind === 'filter') {
    prompt = <TextInput key="filter" label="Filter:" initial={formatAuditFilter(filter)} onCancel={() => setMode({ kind: 'list' })} onSubmit={(text) => {
      const parsed = parseAuditFilter(text);
      setMode({ kind: 'list' });
      if ('error' in parsed) return action.say(`✗ ${parsed.error}`, false);
      setFilter(parsed as AuditFilter);
      setPages([0]);
      setSelected(0);
    }} />;
  } else if (mode.kind === 'export') {
    const file = `cusp-audit-${today}.ndjson`;
    prompt = <TextInput key="export" label="Export to (.log: syslog, else FHIR):" initial={file} onCancel={() => setMode({ kind: 'list' })} onSubmit={(path) => {
      setMode({ kind: 'list' });
      const format = path.endsWith('.log') ? 'syslog' : 'fhir';
      void action.run(`export to ${path}`, (c) => exportAudit(c, format, path.trim()), (size) => `exported ${bytes(size)} (${format}) to ${path}`);
    }} />;
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end"><Text bold>Chain</Text> {verifyLine}</Text>
      <Text wrap="truncate-end"><Text bold>Filter</Text> {formatAuditFilter(filter) || 'none'} <Text color={theme.tone('dim')}>· page {pages.length} · {list.length} events{events.data?.next ? ' (n: next page)' : ''}</Text></Text>
      <Text bold wrap="truncate-end">{' '}{'Seq'.padEnd(8)}{'Time'.padEnd(15)}{'Actor'.padEnd(14)}{'Action'.padEnd(22)}Object</Text>
      <SelectList items={list} selected={Math.min(selected, Math.max(0, list.length - 1))} onSelect={setSelected} height={height - 7} rowKey={(x) => x.seq}
        active={mode.kind === 'list'} empty={events.loading ? 'loading…' : 'no events match'}
        row={(x) => (
          <Text>
            {`#${x.seq}`.padEnd(8)}{when(x.time).slice(5).padEnd(15)}{fit(x.actor, 13, true)} <Text color={x.outcome === 'success' ? undefined : theme.tone(x.outcome === 'denied' ? 'bad' : 'warn')}>{fit(x.action, 21, true)}</Text> {fit(x.object ?? '—', width - 61)}
          </Text>
        )} />
      <Text wrap="truncate-end" color={theme.tone('dim')}>{e ? `${e.outcome} · from ${e.source ?? '—'} · ${JSON.stringify(e.details)}` : ' '}</Text>
      {prompt ?? (events.error ? <ErrorLine error={events.error} /> : <StatusLine {...action.status} />)}
      <KeyHints hints={[['v', 'verify'], ['f', 'filter'], ['n', 'next page'], ['b', 'back a page'], ['e', 'export'], ['↑↓', 'select']]} />
    </Box>
  );
}
