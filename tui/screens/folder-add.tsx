/**
 * Adding a watched folder, one question at a time: path, name, filename rule — then the
 * rule is tried on example names the user types (as the scanner writes them) and shown
 * before anything is saved; saving is the last, confirmed step.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { FolderDto } from '../../src/api/schemas/folder.js';
import { Confirm } from '../components/confirm.js';
import { RuleResults, type RuleResult } from '../components/rule-results.js';
import { TextInput } from '../components/text-input.js';
import { describeError } from '../connection.js';
import { useConnection } from '../hooks/use-connection.js';
import { useTheme } from '../theme.js';

type Step = 'path' | 'name' | 'rule' | 'examples' | 'save';

export interface FolderDraft {
  path: string;
  name?: string;
  rule: string;
}

/** Test `rule` on `names` (separated by commas or spaces). */
export async function testRule(client: ReturnType<typeof useConnection>['client'], rule: string, names: string[], layout = 'flat'): Promise<{ rule: string; results: RuleResult[] }> {
  return client.call('POST', '/folders/test-rule', { body: { rule, layout, names } });
}

/** Example names as typed: comma-separated (names may hold spaces). */
export function splitNames(text: string): string[] {
  return text.split(',').map((n) => n.trim()).filter(Boolean);
}

export function FolderAdd({ width, height, onDone }: { width: number; height: number; onDone(message?: string, ok?: boolean): void }) {
  const connection = useConnection();
  const theme = useTheme();
  const [step, setStep] = useState<Step>('path');
  const [draft, setDraft] = useState<FolderDraft>({ path: '', rule: 'generic' });
  const [tested, setTested] = useState<{ rule: string; results: RuleResult[] } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const tryRule = async (namesText: string) => {
    const names = splitNames(namesText);
    if (names.length === 0) return setStep('save');
    try {
      setTested(await testRule(connection.client, draft.rule, names));
      setError(undefined);
    } catch (err) {
      setError(describeError(err, connection));
      setStep('rule');
      return;
    }
    setStep('save');
  };
  const save = async () => {
    try {
      const f = await connection.client.call<FolderDto>('POST', '/folders', { body: { path: draft.path, rule: draft.rule, ...(draft.name ? { name: draft.name } : {}) } });
      onDone(`✓ watching ${f.path} as ${f.name} (${f.state})`, true);
    } catch (err) {
      onDone(`✗ add folder: ${describeError(err, connection)}`, false);
    }
  };

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>Add a watched folder</Text>
      <Text color={theme.tone('dim')} wrap="truncate-end">path {draft.path || '…'} · name {draft.name ?? (draft.path ? '(from the path)' : '…')} · rule {draft.rule}</Text>
      {step === 'path' ? <TextInput label="Folder path (absolute):" example="/srv/scans/trios" onCancel={() => onDone('nothing added')}
        onSubmit={(v) => { if (v.trim()) { setDraft((d) => ({ ...d, path: v.trim() })); setStep('name'); } }} /> : null}
      {step === 'name' ? <TextInput label="Name (Enter for the folder's own):" onCancel={() => onDone('nothing added')}
        onSubmit={(v) => { setDraft((d) => ({ ...d, name: v.trim() || undefined })); setStep('rule'); }} /> : null}
      {step === 'rule' ? (
        <Box flexDirection="column">
          <TextInput label="Filename rule:" initial={draft.rule} onCancel={() => onDone('nothing added')}
            onSubmit={(v) => { setDraft((d) => ({ ...d, rule: v.trim() || 'generic' })); setStep('examples'); }} />
          <Text color={theme.tone('dim')} wrap="wrap">A preset (generic, auto, trios, medit, itero, primescan), a pattern like {'{lastName}_{firstName}_{date}_{jaw}'}, or re:REGEX.</Text>
        </Box>
      ) : null}
      {step === 'examples' ? (
        <Box flexDirection="column">
          <TextInput label="Example file names, comma-separated (Enter alone skips the test):" onCancel={() => setStep('rule')} onSubmit={(v) => void tryRule(v)} />
          <Text color={theme.tone('dim')} wrap="wrap">e.g. Smith_John_2026-11-20_upper.stl, case-17/case-17-lowerjaw.ply</Text>
        </Box>
      ) : null}
      {error ? <Text color={theme.tone('bad')} wrap="wrap">✗ {error}</Text> : null}
      {step === 'save' ? (
        <Box flexDirection="column">
          {tested ? <RuleResults rule={tested.rule} results={tested.results} width={width} height={Math.max(2, height - 5)} /> : <Text color={theme.tone('dim')}>rule not tested</Text>}
          <Confirm question={`Watch ${draft.path}?`} onYes={() => void save()} onNo={() => onDone('nothing added')}
            more={[['e', 'edit rule', () => { setTested(undefined); setStep('rule'); }]]} />
        </Box>
      ) : null}
    </Box>
  );
}
