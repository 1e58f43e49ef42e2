/**
 * Find a patient by name (or `system:value` external id, or pseudonymous id) and pick one:
 * for the scan search and for assigning an unassigned scan. Owns the keyboard while open.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { PatientDto } from '../../src/api/schemas/patient.js';
import { describeError } from '../connection.js';
import { useConnection } from '../hooks/use-connection.js';
import { useHoldKeyboard, useKeymap } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';
import { SelectList } from './select-list.js';
import { TextInput } from './text-input.js';

export interface PatientPickerProps {
  title: string;
  height: number;
  onPick(patient: PatientDto): void;
  onCancel(): void;
}

/** "Smith, John (1980-02-03)". */
export function patientLabel(p: Pick<PatientDto, 'lastName' | 'firstName' | 'birthDate' | 'id'>): string {
  const name = [p.lastName, p.firstName].filter(Boolean).join(', ') || '(no name)';
  return `${name}${p.birthDate ? ` (${p.birthDate})` : ''}`;
}

export function PatientPicker({ title, height, onPick, onCancel }: PatientPickerProps) {
  const connection = useConnection();
  const theme = useTheme();
  const [found, setFound] = useState<PatientDto[] | undefined>(undefined);
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  useHoldKeyboard(found !== undefined);
  useKeymap({
    return: () => found?.[selected] && onPick(found[selected]),
    escape: () => setFound(undefined),
  }, { owner: true, active: found !== undefined });

  const search = async (text: string) => {
    const q = text.trim();
    if (!q) return onCancel();
    setBusy(true);
    setMessage(undefined);
    try {
      let patients: PatientDto[];
      if (/^p_[a-z2-7]{16}$/.test(q)) patients = [await connection.client.call<PatientDto>('GET', `/patients/${q}`)];
      else if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:.+$/.test(q)) patients = (await connection.client.call<{ patients: PatientDto[] }>('GET', '/patients', { query: { externalId: q, limit: 50 } })).patients;
      else patients = (await connection.client.call<{ patients: PatientDto[] }>('GET', '/patients', { query: { name: q, limit: 50 } })).patients;
      if (patients.length === 0) setMessage(`no patient matches "${q}"`);
      else if (patients.length === 1) onPick(patients[0]);
      else {
        setSelected(0);
        setFound(patients);
      }
    } catch (err) {
      setMessage(describeError(err, connection));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box flexDirection="column" height={height}>
      <Text bold>{title}</Text>
      {found === undefined ? (
        <TextInput label="Patient (name, pms:ID or p_…):" onSubmit={(t) => void search(t)} onCancel={onCancel} example="e.g. Smith John" />
      ) : (
        <SelectList owner items={found} selected={selected} onSelect={setSelected} height={Math.max(1, height - 3)} rowKey={(p) => p.id}
          row={(p) => ` ${patientLabel(p).padEnd(40)} ${p.id}`} />
      )}
      {busy ? <Text color={theme.tone('info')}>searching…</Text> : null}
      {message ? <Text color={theme.tone('bad')} wrap="truncate-end">✗ {message}</Text> : null}
      {found !== undefined ? <Text color={theme.tone('dim')}>↑↓ choose  ⏎ pick  Esc search again</Text> : null}
    </Box>
  );
}
