/**
 * Identity review: scans waiting for a person to say whose they are, oldest first, with what
 * each source of the export said (the most trusted first) and the patients they may mean.
 * a chooses among the candidates, p finds any patient, c creates a new one from the most
 * trusted source's name, each after a question; m merges two records of one person.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { ReviewDto } from '../../src/api/schemas/identity.js';
import type { PatientDto } from '../../src/api/schemas/patient.js';
import { Confirm } from '../components/confirm.js';
import { KeyHints } from '../components/key-hints.js';
import { PatientPicker, patientLabel } from '../components/patient-picker.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { fit, when } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useRefreshOn } from '../hooks/use-events.js';
import { useHoldKeyboard, useKeymap } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

const SOURCE: Record<string, string> = {
  manifest: 'manifest', rx: 'Rx page', dentalProject: 'project', sidecar: 'sidecar', folder: 'folder', name: 'name', mtime: 'file time', received: 'upload',
};
const REASON: Record<ReviewDto['reason'], string> = {
  conflict: 'sources disagree', ambiguous: 'name fits several', 'id-mismatch': 'id names another',
};

/** One source's say in a line: "Rx page: Meier, Anna · born 1980-02-03 · chart:K-1 · 2026-12-01". */
export function sourceLine(s: Record<string, string>): string {
  const name = [s.lastName, s.firstName].filter(Boolean).join(', ');
  const parts = [name, s.birthDate ? `born ${s.birthDate}` : '', s.externalId ?? '', s.capturedAt ?? ''].filter(Boolean);
  return `${(SOURCE[s.source] ?? s.source).padEnd(9)} ${parts.join(' · ') || '—'}`;
}

/** The new patient a review's most trusted name source suggests. */
function suggested(r: Pick<ReviewDto, 'evidence'>): { lastName?: string; firstName?: string; birthDate?: string } | undefined {
  const f = r.evidence?.fields;
  if (!f?.lastName) return undefined;
  return { lastName: f.lastName.value, ...(f.firstName ? { firstName: f.firstName.value } : {}), ...(f.birthDate ? { birthDate: f.birthDate.value } : {}) };
}

/**
 * Whom an item may be, as an admin may see it: the one candidate by name and birth date
 * with its pseudonymous id (the audit trail's), else what the most trusted source says and
 * how many records it fits.
 */
export function whoItMayBe(r: Pick<ReviewDto, 'candidates' | 'evidence'>): string {
  if (r.candidates.length === 1) return `${patientLabel(r.candidates[0])} ${r.candidates[0].id}`;
  const s = suggested({ evidence: r.evidence });
  const said = s ? patientLabel({ lastName: s.lastName ?? null, firstName: s.firstName ?? null, birthDate: s.birthDate ?? null, id: '' }) : 'no name in any source';
  return `${said} · ${r.candidates.length === 0 ? 'no record' : `${r.candidates.length} records`}`;
}

type Mode = { kind: 'list' } | { kind: 'pick' } | { kind: 'candidates' } | { kind: 'confirm'; question: string; detail?: string; act: () => void } | { kind: 'merge-from' } | { kind: 'merge-into'; from: PatientDto };

export function IdentityReviewScreen({ width, height, onBack }: { width: number; height: number; onBack(): void }) {
  const theme = useTheme();
  const q = useApi((c) => c.identityReviews({ limit: 100 }), []);
  useRefreshOn(['scan.'], q.refresh);
  const action = useAction();
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [candidate, setCandidate] = useState(0);
  const reviews = q.data?.reviews ?? [];
  const r = reviews[Math.min(selected, reviews.length - 1)];
  const back = () => setMode({ kind: 'list' });

  const assign = (review: ReviewDto, choice: { patient: string } | { create: Record<string, string> }, label: string) => setMode({
    kind: 'confirm', question: `the selected scan is ${label}?`,
    act: () => {
      back();
      void action.run('resolving', (c) => c.resolveIdentityReview(review.id, choice),
        (res) => `${res.reviews.length} scan${res.reviews.length === 1 ? '' : 's'} assigned to ${patientLabel(res.patient)}${res.created ? ' (new)' : ''}`, q.refresh);
    },
  });
  const keys: Record<string, () => void> = {
    escape: onBack,
    p: () => r && setMode({ kind: 'pick' }),
    c: () => {
      const s = r && suggested(r);
      if (r && s) assign(r, { create: s }, `a new patient ${patientLabel({ ...s, id: '', lastName: s.lastName ?? null, firstName: s.firstName ?? null, birthDate: s.birthDate ?? null })}`);
      else if (r) action.say('no source names the patient: find one with p', false);
    },
    m: () => setMode({ kind: 'merge-from' }),
    a: () => {
      if (!r?.candidates.length) return action.say('no candidates: find a patient with p or create one with c', false);
      setCandidate(0);
      setMode({ kind: 'candidates' });
    },
  };
  useKeymap(keys, { active: mode.kind === 'list' });
  // Choosing a candidate owns the keyboard (digits and letters are not screen switches then).
  useHoldKeyboard(mode.kind === 'candidates');
  useKeymap({
    return: () => r?.candidates[candidate] && assign(r, { patient: r.candidates[candidate].id }, patientLabel(r.candidates[candidate])),
    escape: back,
  }, { owner: true, active: mode.kind === 'candidates' });

  if (mode.kind === 'pick' && r) {
    return <PatientPicker key="whose" title="Whose scan is it?" height={height} onCancel={back} onPick={(p) => assign(r, { patient: p.id }, patientLabel(p))} />;
  }
  if (mode.kind === 'merge-from') return <PatientPicker key="merge-from" title="Merge: the duplicate record (it is removed)" height={height} onCancel={back} onPick={(p) => setMode({ kind: 'merge-into', from: p })} />;
  if (mode.kind === 'merge-into') {
    const from = mode.from;
    return <PatientPicker key="merge-into" title={`Merge ${patientLabel(from)} into: the record to keep`} height={height} onCancel={back} onPick={(into) => setMode({
      kind: 'confirm', question: 'merge these two records of one person?',
      detail: `everything of ${patientLabel(from)} ${from.id} moves to ${patientLabel(into)} ${into.id}; the first is removed`,
      act: () => {
        back();
        void action.run('merging', (c) => c.mergePatients(into.id, from.id), (res) => `merged: ${res.moved.scans} scans, ${res.moved.visitsMoved + res.moved.visitsJoined} visits moved to ${patientLabel(res)}`, q.refresh);
      },
    })} />;
  }

  const detailRows = Math.max(3, height - 11);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">Identity review <Text color={theme.tone('dim')}>· {q.data ? `${q.data.open} waiting` : 'loading'} · a person says whose each scan is</Text></Text>
      <SelectList items={reviews} selected={Math.min(selected, Math.max(0, reviews.length - 1))} onSelect={setSelected} height={5} rowKey={(x) => String(x.id)} active={mode.kind === 'list'}
        empty={q.loading ? 'loading…' : 'nothing waits: every scan has its patient'}
        row={(x) => <Text>{when(x.createdAt).slice(5, 10)} <Text color={theme.tone('warn')}>{REASON[x.reason].padEnd(18)}</Text> {x.scan.jaw.padEnd(6)} {fit(whoItMayBe(x), width - 34, true)}</Text>} />
      <Box flexDirection="column" height={detailRows} overflow="hidden">
        {r ? (
          <>
            <Text bold wrap="truncate-end">What the sources say <Text color={theme.tone('dim')}>({r.scan.sourceFolder ?? 'upload'}: {r.scan.originalName}, captured {r.scan.capturedAt ?? '?'})</Text></Text>
            {(r.evidence?.said ?? []).filter((s) => s.lastName || s.firstName || s.birthDate || s.externalId).map((s, i) => <Text key={i} wrap="truncate-end">  {sourceLine(s)}</Text>)}
            <Text bold>Candidates {mode.kind === 'candidates' ? <Text color={theme.tone('dim')}>(↑↓ choose, ⏎ assign, Esc back)</Text> : null}</Text>
            {r.candidates.length === 0 ? <Text color={theme.tone('dim')}>  none known: c creates one, p finds any</Text> : null}
            <SelectList owner items={r.candidates} selected={Math.min(candidate, Math.max(0, r.candidates.length - 1))} onSelect={setCandidate} height={Math.min(5, Math.max(1, r.candidates.length))}
              rowKey={(p) => p.id} active={mode.kind === 'candidates'}
              row={(p) => <Text wrap="truncate-end">{patientLabel(p).padEnd(34)} {p.id} {p.externalIds.map((e) => `${e.system}:${e.value}`).join(' ')}</Text>} />
          </>
        ) : <Text> </Text>}
      </Box>
      <Box height={2} overflow="hidden"><Text wrap="wrap">{mode.kind === 'confirm' && mode.detail ? mode.detail : ' '}</Text></Box>
      {mode.kind === 'confirm' ? <Confirm question={mode.question} onYes={mode.act} onNo={() => { back(); action.say('cancelled'); }} /> : q.error ? <ErrorLine error={q.error} /> : <StatusLine {...action.status} />}
      <KeyHints hints={[['↑↓', 'select'], ['a', 'assign to a candidate'], ['p', 'find patient'], ['c', 'new patient'], ['m', 'merge'], ['Esc', 'back']]} />
    </Box>
  );
}
