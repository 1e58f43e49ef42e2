/**
 * One scan: who and what it is, its validation report in plain language, the analysis and
 * comparison figures, a small preview, and its jobs (live progress; retry, re-run, cancel).
 * An unassigned scan can be assigned to a patient here; a misfiled one moved to another
 * (asked first: its visit and comparisons follow it, refused under a legal hold).
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { PatientDto } from '../../src/api/schemas/patient.js';
import type { ScanDto } from '../../src/api/schemas/scan.js';
import { Confirm } from '../components/confirm.js';
import { KeyHints, type Hint } from '../components/key-hints.js';
import { PatientPicker, patientLabel } from '../components/patient-picker.js';
import { ProgressBar } from '../components/progress-bar.js';
import { ScanPreview } from '../components/scan-preview.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { bytes, fit, when } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useLiveEvents, useRefreshOn } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { analysisLines, HIDDEN_REPORTS, validationLines, type ReportLine } from '../report-text.js';
import { toneOf, useTheme } from '../theme.js';

interface ScanJob {
  id: number;
  kind: string;
  state: string;
  progress: number;
  error: string | null;
  stage?: string | null;
}

type ScanDetailDto = ScanDto & { reports: Record<string, unknown>; jobs: ScanJob[]; artifacts: Array<{ kind: string; mediaType: string; size: number | null }> };

type Dialog = { kind: 'assign' } | { kind: 'move' } | { kind: 'confirm'; question: string; act: () => void } | undefined;

const PREVIEW_COLS = 24;

/** What the scan's reports say, line by line: the rejection or the validation, then each analysis shown. */
function reportOf(s: ScanDetailDto): ReportLine[] {
  const report: ReportLine[] = s.status === 'rejected'
    ? [{ text: `Rejected: ${s.reason ?? 'no reason given'}`, tone: 'bad' }]
    : validationLines(s.reports.validation);
  for (const [kind, body] of Object.entries(s.reports)) if (!HIDDEN_REPORTS.has(kind)) report.push(...analysisLines(kind, body));
  return report;
}

/**
 * Assigning an unassigned scan to a patient (`a`), or moving a misfiled one to another
 * (`m`, confirmed first): the patient picker and the call.
 */
function OwnerDialog({ kind, scan: s, patient, height, action, setDialog, refresh }: {
  kind: 'assign' | 'move'; scan: ScanDetailDto; patient: PatientDto | undefined; height: number;
  action: ReturnType<typeof useAction>; setDialog(d: Dialog): void; refresh(): void;
}) {
  if (kind === 'assign') {
    return (
      <PatientPicker title={`Assign scan ${s.source.originalName} to a patient`} height={height}
        onCancel={() => setDialog(undefined)}
        onPick={(p) => {
          setDialog(undefined);
          void action.run(`assign to ${patientLabel(p)}`, (c) => c.call('PUT', `/scans/${encodeURIComponent(s.uid)}/patient`, { body: { patient: p.id } }), () => `assigned to ${patientLabel(p)} (${p.id})`, refresh);
        }} />
    );
  }
  const from = patient ? `${patientLabel(patient)} ${s.patient}` : s.patient;
  return (
    <PatientPicker title={`Move scan ${s.source.originalName} from ${from} to`} height={height}
      onCancel={() => setDialog(undefined)}
      onPick={(p) => setDialog({
        kind: 'confirm',
        question: `Move this scan to ${patientLabel(p)}?`,
        act: () => void action.run(`move to ${patientLabel(p)}`, (c) => c.call('PUT', `/scans/${encodeURIComponent(s.uid)}/patient`, { body: { patient: p.id, move: true } }),
          () => `moved to ${patientLabel(p)} (${p.id}); its comparisons are made again`, refresh),
      })} />
  );
}

export function ScanDetail({ uid, width, height, onBack }: { uid: string; width: number; height: number; onBack(): void }) {
  const theme = useTheme();
  const scan = useApi((c) => c.call<ScanDetailDto>('GET', `/scans/${encodeURIComponent(uid)}`), [uid]);
  const patient = useApi((c) => c.call<PatientDto>('GET', `/patients/${scan.data!.patient}`), [scan.data?.patient], { enabled: Boolean(scan.data?.patient) });
  const [live, setLive] = useState<Record<number, { progress: number; stage: string | null }>>({});
  const [selected, setSelected] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(undefined);
  const action = useAction();
  useRefreshOn(['scan.', 'job.queued', 'job.started', 'job.finished'], scan.refresh);
  useLiveEvents(['job.progress'], (e) => {
    const id = Number(e.data.jobId);
    setLive((l) => ({ ...l, [id]: { progress: Number(e.data.progress) || 0, stage: (e.data.stage as string | null) ?? null } }));
  });

  const s = scan.data;
  const jobs = s?.jobs ?? [];
  const job = jobs[selected];
  const rerun = () => {
    if (!s || !job) return;
    if (job.state === 'failed' || job.state === 'cancelled') {
      void action.run(`retry job ${job.id}`, (c) => c.call('POST', `/jobs/${job.id}/retry`), () => `job ${job.id} (${job.kind}) queued again`, scan.refresh);
      return;
    }
    setDialog({ kind: 'confirm', question: `Run ${job.kind} again for this scan?`, act: () => void action.run(`re-run ${job.kind}`, (c) => c.call('POST', `/scans/${encodeURIComponent(s.uid)}/jobs`, { body: { kind: job.kind } }), () => `${job.kind} queued again`, scan.refresh) });
  };
  const cancel = () => {
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return action.say(`job ${job?.id ?? ''} is not queued or running`, false);
    setDialog({ kind: 'confirm', question: `Cancel job ${job.id} (${job.kind})?`, act: () => void action.run(`cancel job ${job.id}`, (c) => c.call('POST', `/jobs/${job.id}/cancel`), () => `job ${job.id} cancelled`, scan.refresh) });
  };
  useKeymap({
    escape: onBack,
    a: () => (s && s.patient === null ? setDialog({ kind: 'assign' }) : action.say('this scan has its patient — m moves a misfiled scan to another', false)),
    m: () => (s && s.patient !== null ? setDialog({ kind: 'move' }) : action.say('this scan has no patient yet — a assigns it', false)),
    r: rerun,
    c: cancel,
  }, { active: dialog === undefined });

  if ((dialog?.kind === 'assign' || dialog?.kind === 'move') && s) {
    return <OwnerDialog kind={dialog.kind} scan={s} patient={patient.data} height={height} action={action} setDialog={setDialog} refresh={dialog.kind === 'assign' ? scan.refresh : () => { scan.refresh(); patient.refresh(); }} />;
  }
  if (!s) {
    return (
      <Box flexDirection="column" height={height}>
        <Text>{scan.loading ? 'loading scan…' : `scan ${uid}`}</Text>
        <ErrorLine error={scan.error} />
        <KeyHints hints={[['Esc', 'back']]} />
      </Box>
    );
  }

  const leftWidth = width - PREVIEW_COLS - 2;
  const jobRows = Math.min(4, Math.max(1, jobs.length));
  const middle = Math.max(3, height - 4 - (jobRows + 1) - 2);
  const report = reportOf(s);
  const who = s.patient === null
    ? <Text color={theme.tone('warn')}>unassigned — press a to assign it to a patient</Text>
    : <Text>{patient.data ? patientLabel(patient.data) : '…'} <Text color={theme.tone('dim')}>{s.patient}</Text></Text>;
  const hints: Hint[] = [['Esc', 'back'], ['↑↓', 'job'], ['r', 're-run/retry'], ['c', 'cancel job']];
  hints.push(s.patient === null ? ['a', 'assign'] : ['m', 'move to another patient']);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end"><Text bold>Scan {s.uid}</Text> v{s.version} · {s.format.toUpperCase()} · {bytes(s.size)} · {s.jaw}</Text>
      <Text wrap="truncate-end">Patient: {who}</Text>
      <Text wrap="truncate-end">File: {s.source.originalName} · {s.source.folder ?? 'upload'} · received {when(s.receivedAt)}{s.capturedAt ? ` · captured ${s.capturedAt.slice(0, 10)}` : ''}</Text>
      <Text wrap="truncate-end">
        Status: <Text color={theme.tone(toneOf(s.status) ?? 'dim')}>{s.status}</Text>
        {s.verdict ? <Text> · verdict <Text bold color={theme.tone(toneOf(s.verdict) ?? 'dim')}>{s.verdict.toUpperCase()}</Text></Text> : null}
      </Text>
      <Box height={middle}>
        <Box flexDirection="column" width={leftWidth} height={middle} overflow="hidden">
          {report.slice(0, middle).map((l, i) => <Text key={i} wrap="truncate-end" color={l.tone ? theme.tone(l.tone) : undefined}>{fit(l.text, leftWidth)}</Text>)}
        </Box>
        <Box marginLeft={2}>
          <ScanPreview uid={s.uid} available={s.artifacts.some((a) => a.kind === 'thumbnail')} cols={PREVIEW_COLS} rows={Math.min(10, middle)} />
        </Box>
      </Box>
      <Text bold>Jobs</Text>
      <SelectList items={jobs} selected={selected} onSelect={setSelected} height={jobRows} rowKey={(j) => j.id} active={dialog === undefined} empty="no jobs"
        row={(j) => {
          const p = live[j.id];
          return (
            <Text>
              {` #${j.id} ${j.kind.padEnd(9)}`}<Text color={theme.tone(toneOf(j.state) ?? 'dim')}>{j.state.padEnd(10)}</Text>
              {j.state === 'running' ? <ProgressBar fraction={p?.progress ?? j.progress} width={16} label={p?.stage ?? j.stage ?? undefined} /> : <Text>{j.error ? fit(j.error, width - 30) : ''}</Text>}
            </Text>
          );
        }} />
      {dialog?.kind === 'confirm'
        ? <Confirm question={dialog.question} onYes={() => { const act = dialog.act; setDialog(undefined); act(); }} onNo={() => { setDialog(undefined); action.say('nothing done'); }} />
        : scan.error ? <ErrorLine error={scan.error} /> : <StatusLine {...action.status} />}
      <KeyHints hints={hints} />
    </Box>
  );
}
