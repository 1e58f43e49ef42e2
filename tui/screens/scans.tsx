/**
 * Scans: a list filtered by status, verdict, date, unassigned and patient (found by name),
 * newest first; Enter opens the detail view. The list refreshes when the event stream says
 * scans arrived or changed — not on a timer, since every list read is an audit event.
 */
import { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { ScanPage } from '../../src/api/client.js';
import type { ScanDto } from '../../src/api/schemas/scan.js';
import { KeyHints } from '../components/key-hints.js';
import { PatientPicker, patientLabel } from '../components/patient-picker.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { dayAndWeekStart, fit, when } from '../format.js';
import { describeError } from '../connection.js';
import { useApi } from '../hooks/use-api.js';
import { useConnection } from '../hooks/use-connection.js';
import { useRefreshOn } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { toneOf, useTheme } from '../theme.js';
import { IdentityReviewScreen } from './identity-review.js';
import { ScanDetail } from './scan-detail.js';

const STATUSES = [undefined, 'received', 'validated', 'rejected', 'analysed'] as const;
const VERDICTS = [undefined, 'ok', 'warn', 'fail'] as const;
const RANGES = ['all', 'today', '7 days', '30 days'] as const;

interface Filters {
  status?: (typeof STATUSES)[number];
  verdict?: (typeof VERDICTS)[number];
  range: (typeof RANGES)[number];
  unassigned: boolean;
  patient?: { id: string; label: string };
}

function next<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length];
}

function fromDate(range: Filters['range']): string | undefined {
  if (range === 'all') return undefined;
  if (range === 'today') return dayAndWeekStart().day;
  return new Date(Date.now() - (range === '7 days' ? 7 : 30) * 86_400_000).toISOString();
}

/** The query of the list for `filters`. */
export function scanQuery(filters: Filters): Record<string, string | number | undefined> {
  return {
    status: filters.status, verdict: filters.verdict, from: fromDate(filters.range), limit: 100,
    unassigned: filters.unassigned ? 'true' : undefined, patient: filters.patient?.id,
  };
}

export function ScansScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const [filters, setFilters] = useState<Filters>({ range: 'all', unassigned: false });
  const [selected, setSelected] = useState(0);
  const [more, setMore] = useState<{ scans: ScanDto[]; next: string | null } | undefined>(undefined);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [searching, setSearching] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [moreError, setMoreError] = useState<string | undefined>(undefined);
  const connection = useConnection();
  const loadingMore = useRef(false);
  const list = useApi((c) => c.listScans(scanQuery(filters)), [JSON.stringify(filters)]);
  useRefreshOn(['scan.'], list.refresh);

  const scans = [...(list.data?.scans ?? []), ...(more?.scans ?? [])];
  const cursor = more ? more.next : list.data?.next ?? null;
  const loadMore = () => {
    if (!cursor || connection.locked || loadingMore.current) return;
    loadingMore.current = true;
    connection.client.listScans({ ...scanQuery(filters), cursor }).then(
      (page: ScanPage) => setMore((m) => ({ scans: [...(m?.scans ?? []), ...page.scans], next: page.next })),
      (err: unknown) => setMoreError(describeError(err, connection)),
    ).finally(() => (loadingMore.current = false));
  };
  const change = (f: Partial<Filters>) => {
    setFilters((old) => ({ ...old, ...f }));
    setMore(undefined);
    setMoreError(undefined);
    setSelected(0);
  };

  const listing = open === undefined && !searching && !reviewing;
  useKeymap({
    return: () => scans[selected] && setOpen(scans[selected].uid),
    n: loadMore,
    '/': () => setSearching(true),
    i: () => setReviewing(true),
    s: () => change({ status: next(STATUSES, filters.status) }),
    v: () => change({ verdict: next(VERDICTS, filters.verdict) }),
    d: () => change({ range: next(RANGES, filters.range) }),
    u: () => change({ unassigned: !filters.unassigned, patient: undefined }),
    x: () => change({ status: undefined, verdict: undefined, range: 'all', unassigned: false, patient: undefined }),
  }, { active: listing });

  if (reviewing) return <IdentityReviewScreen width={width} height={height} onBack={() => { setReviewing(false); list.refresh(); }} />;
  if (open !== undefined) return <ScanDetail uid={open} width={width} height={height} onBack={() => { setOpen(undefined); list.refresh(); }} />;
  if (searching) {
    return (
      <PatientPicker title="Show the scans of a patient" height={height}
        onPick={(p) => { setSearching(false); change({ patient: { id: p.id, label: patientLabel(p) }, unassigned: false }); }}
        onCancel={() => setSearching(false)} />
    );
  }

  const fileWidth = Math.max(10, width - 56);
  const filterText = [
    `status ${filters.status ?? 'all'}`, `verdict ${filters.verdict ?? 'all'}`, `date ${filters.range}`,
    filters.unassigned ? 'unassigned only' : null, filters.patient ? `patient ${filters.patient.label}` : null,
  ].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end"><Text bold>{scans.length}{cursor ? '+' : ''} shown</Text> <Text color={theme.tone('dim')}>·</Text> {filterText}</Text>
      <Text bold wrap="truncate-end">{' '}{'Received'.padEnd(12)}{'Patient'.padEnd(19)}{'Jaw'.padEnd(6)}{'Status'.padEnd(10)}{'Verd'.padEnd(5)}File</Text>
      <SelectList items={scans} selected={selected} onSelect={setSelected} height={height - 5} rowKey={(s) => s.uid} active={listing} onEnd={loadMore}
        empty={list.loading ? 'loading…' : 'no scans match these filters'}
        row={(s) => (
          <Text>
            {when(s.receivedAt).slice(5).padEnd(12)}{(s.patient ?? 'unassigned').padEnd(19)}{s.jaw.padEnd(6)}
            <Text color={theme.tone(toneOf(s.status) ?? 'dim')}>{s.status.padEnd(10)}</Text>
            <Text color={theme.tone(toneOf(s.verdict) ?? 'dim')}>{(s.verdict ?? '—').padEnd(5)}</Text>
            {fit(s.source.originalName.slice(s.source.originalName.lastIndexOf('/') + 1), fileWidth)}
          </Text>
        )} />
      {list.error || moreError ? <ErrorLine error={list.error ?? moreError} /> : <StatusLine message={cursor ? 'older scans: press n (or move past the last row) to load them' : 'i: identity review — scans whose patient a person decides'} />}
      <Text> </Text>
      <KeyHints hints={[['⏎', 'open'], ['/', 'patient'], ['s', 'status'], ['v', 'verdict'], ['d', 'date'], ['u', 'unassigned'], ['x', 'clear'], ['n', 'more']]} />
    </Box>
  );
}
