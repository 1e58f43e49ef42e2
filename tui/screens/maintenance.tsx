/**
 * Maintenance: back up now, rotate the database key, the retention policy (set it, purge
 * expired scans after a dry run), legal holds (place, lift), and the daemon's log tail.
 * Every destructive step asks first.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { Confirm } from '../components/confirm.js';
import { KeyHints } from '../components/key-hints.js';
import { PatientPicker, patientLabel } from '../components/patient-picker.js';
import { SelectList } from '../components/select-list.js';
import { StatusLine } from '../components/status-line.js';
import { TextInput } from '../components/text-input.js';
import { bytes, fit, fitStart, when } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { runCli, useSite } from '../site.js';
import { useTheme } from '../theme.js';

interface Policy { scansYears: number; basis: 'captured' | 'received'; origin: 'config' | 'set'; updatedBy: string | null; updatedAt: string | null }
interface Hold { patient: string; hold: boolean; reason: string | null; placedBy: string | null; placedAt: string | null; name: { lastName: string | null; firstName: string | null; birthDate: string | null } | null }

/** A held patient as the admin knows them, the pseudonymous id (the audit trail's) beside. */
const holdLabel = (h: Hold) => (h.name ? `${patientLabel({ ...h.name, id: h.patient })} ${h.patient}` : h.patient);
interface PurgeResult { dryRun: boolean; cutoff: string; purged: number; held: number }

type Mode =
  | { kind: 'main' }
  | { kind: 'years' }
  | { kind: 'hold-patient' }
  | { kind: 'hold-reason'; patient: string; label: string }
  | { kind: 'confirm'; question: string; act: () => void };

const LOG_LINES = 6;

export function MaintenanceScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const retention = useApi((c) => c.call<{ policy: Policy; legalHolds: number }>('GET', '/retention'), []);
  const holds = useApi((c) => c.call<{ holds: Hold[] }>('GET', '/retention/holds').then((r) => r.holds), []);
  const log = useApi((c) => c.call<{ lines: string[] }>('GET', '/logs', { query: { lines: LOG_LINES } }).then((r) => r.lines), [], { intervalMs: 3000 });
  const [mode, setMode] = useState<Mode>({ kind: 'main' });
  const [selected, setSelected] = useState(0);
  const action = useAction();
  const site = useSite();
  const back = () => setMode({ kind: 'main' });
  const holdList = holds.data ?? [];
  const hold = holdList[Math.min(selected, holdList.length - 1)];
  const confirm = (question: string, act: () => void) => setMode({ kind: 'confirm', question, act });

  const purge = () => void action.run('purge dry run', (c) => c.call<PurgeResult>('POST', '/retention/purge', { query: { dryRun: 'true' } }),
    (r) => `dry run: ${r.purged} expired ${r.purged === 1 ? 'scan' : 'scans'} dated before ${r.cutoff.slice(0, 10)}, ${r.held} kept for legal holds`,
    (r) => {
      if (r.purged === 0) return;
      confirm(`Remove ${r.purged} expired ${r.purged === 1 ? 'scan' : 'scans'} for good? This cannot be undone.`,
        () => void action.run('purge expired scans', (c) => c.call<PurgeResult>('POST', '/retention/purge', { query: { dryRun: 'false' } }), (x) => `removed ${x.purged} scans (${x.held} kept for legal holds)`, retention.refresh));
    });

  useKeymap({
    b: () => void action.run('back up now', (c) => c.call<{ file: string; bytes: number }>('POST', '/maintenance/backup', { body: {} }), (r) => `backup written (${bytes(r.bytes)}): ${fitStart(r.file, width - 30)}`),
    k: () => {
      // `cusp key rotate` makes the new key and hands it to the daemon: the console never holds it.
      if (!site.cli) return action.say('✗ key rotation runs on the server itself: cusp key rotate (over the admin socket)', false);
      const cli = site.cli;
      confirm('Rotate the database key now? The daemon re-encrypts the database under a new key file.',
        () => void action.run('rotate the database key', () => runCli(cli, ['key', 'rotate']), (out) => out.split('\n').pop() ?? 'key rotated'));
    },
    y: () => setMode({ kind: 'years' }),
    u: purge,
    h: () => setMode({ kind: 'hold-patient' }),
    l: () => hold && confirm(`Lift the hold on ${hold.name ? patientLabel({ ...hold.name, id: hold.patient }) : hold.patient}? Their scans may then expire and be purged.`,
      () => void action.run(`lift hold on ${holdLabel(hold)}`, (c) => c.call('PUT', `/patients/${hold.patient}/legal-hold`, { body: { hold: false } }), () => `hold on ${holdLabel(hold)} lifted`, () => { holds.refresh(); retention.refresh(); })),
  }, { active: mode.kind === 'main' });

  if (mode.kind === 'hold-patient') {
    return <PatientPicker title="Place a legal hold: which patient?" height={height} onCancel={back} onPick={(p) => setMode({ kind: 'hold-reason', patient: p.id, label: `${patientLabel(p)} ${p.id}` })} />;
  }
  let prompt = null;
  if (mode.kind === 'years') {
    prompt = <TextInput key="years" label="Keep scans for how many years? (add ' received' to count from receipt)" onCancel={back} onSubmit={(text) => {
      const [years, basis] = text.trim().split(/\s+/);
      // A shorter period makes older scans due for purging: ask first.
      confirm(`Keep scans ${years} years from the ${basis ?? 'captured'} date? Older scans become due for purging.`,
        () => void action.run('set retention', (c) => c.call<Policy>('PUT', '/retention', { body: { scansYears: Number(years), ...(basis ? { basis } : {}) } }),
          (p) => `scans are kept ${p.scansYears} years from the ${p.basis} date`, retention.refresh));
    }} />;
  } else if (mode.kind === 'hold-reason') {
    const { patient, label } = mode;
    prompt = <TextInput key="reason" label={`Reason for the hold on ${label}:`} example="the matter, e.g. claim 2026-17" onCancel={back} onSubmit={(reason) => {
      back();
      void action.run(`place hold on ${label}`, (c) => c.call('PUT', `/patients/${patient}/legal-hold`, { body: { hold: true, reason } }), () => `${label} is on legal hold`, () => { holds.refresh(); retention.refresh(); });
    }} />;
  } else if (mode.kind === 'confirm') {
    prompt = <Confirm question={mode.question} onYes={() => { const act = mode.act; back(); act(); }} onNo={() => { back(); action.say('nothing done'); }} />;
  }

  const p = retention.data?.policy;
  const holdRows = Math.max(1, height - 9 - LOG_LINES);
  const dim = theme.tone('dim');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end"><Text bold>{'Backup'.padEnd(11)}</Text><Text color={dim}>b</Text> back up now (encrypted, to the backup folder)</Text>
      <Text wrap="truncate-end"><Text bold>{'Key'.padEnd(11)}</Text><Text color={dim}>k</Text> rotate the database key (runs cusp key rotate here)</Text>
      <Text wrap="truncate-end">
        <Text bold>{'Retention'.padEnd(11)}</Text>
        {p ? `scans kept ${p.scansYears} years from the ${p.basis} date (${p.origin === 'config' ? 'config file' : `set by ${p.updatedBy ?? '?'} ${when(p.updatedAt).slice(0, 10)}`})` : retention.error ? <Text color={theme.tone('bad')}>{retention.error}</Text> : '…'}
      </Text>
      <Text wrap="truncate-end">{' '.repeat(11)}<Text color={dim}>y</Text> set years   <Text color={dim}>u</Text> purge expired scans (dry run first)</Text>
      <Text wrap="truncate-end"><Text bold>{'Legal holds'.padEnd(11)}</Text> {retention.data ? `${retention.data.legalHolds} ${retention.data.legalHolds === 1 ? 'patient' : 'patients'}` : ''}   <Text color={dim}>h</Text> place   <Text color={dim}>l</Text> lift selected</Text>
      <SelectList items={holdList} selected={Math.min(selected, Math.max(0, holdList.length - 1))} onSelect={setSelected} height={holdRows} rowKey={(x) => x.patient}
        active={mode.kind === 'main'} empty={holds.error ? `  ${holds.error}` : holds.loading ? '  loading…' : '  no patient is on legal hold'}
        row={(x) => (
          <Text>
            {fit(x.name ? patientLabel({ ...x.name, id: x.patient }) : '', 31, true)} {x.patient.padEnd(18)} {fit(`"${x.reason ?? ''}"`, Math.max(8, width - (width >= 100 ? 80 : 53)), true)}
            {/* Who placed it and when, where there is room (the audit trail has both). */}
            {width >= 100 ? <Text color={dim}> by {fit(x.placedBy ?? '?', 14)} {when(x.placedAt).slice(0, 10)}</Text> : null}
          </Text>
        )} />
      <Text bold>Log <Text color={dim}>(newest last)</Text></Text>
      <Box flexDirection="column" height={LOG_LINES}>
        {log.data
          ? log.data.slice(-LOG_LINES).map((line, i) => <Text key={i} wrap="truncate-end" color={/"level":"(error|warn)"|\b(ERROR|WARN)\b/.test(line) ? theme.tone('bad') : undefined}>{line}</Text>)
          : <Text color={dim} wrap="truncate-end">{log.error ?? 'loading…'}</Text>}
      </Box>
      {prompt ?? <StatusLine {...action.status} />}
      <KeyHints hints={[['b', 'backup'], ['k', 'key'], ['y', 'years'], ['u', 'purge'], ['h', 'hold'], ['l', 'lift'], ['↑↓', 'select hold']]} />
    </Box>
  );
}
