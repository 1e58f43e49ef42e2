/**
 * Watched folders: their state, add (with a rule test before saving), pause/resume,
 * remove (asked first), test the rule of a folder on example names, its quarantine.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { FolderDto } from '../../src/api/schemas/folder.js';
import { Confirm } from '../components/confirm.js';
import { KeyHints } from '../components/key-hints.js';
import { RuleResults, type RuleResult } from '../components/rule-results.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { TextInput } from '../components/text-input.js';
import { fit } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useRefreshOn } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { toneOf, useTheme } from '../theme.js';
import { FolderAdd, splitNames, testRule } from './folder-add.js';
import { Quarantine } from './quarantine.js';

type Mode =
  | { kind: 'list' }
  | { kind: 'add' }
  | { kind: 'quarantine'; folder: string }
  | { kind: 'test'; folder: FolderDto; result?: { rule: string; results: RuleResult[] } }
  | { kind: 'confirm'; question: string; act: () => void };

export function FoldersScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const folders = useApi((c) => c.call<{ folders: FolderDto[] }>('GET', '/folders').then((r) => r.folders), [], { intervalMs: 10_000 });
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const action = useAction();
  useRefreshOn(['folder.', 'scan.quarantined'], folders.refresh);
  const list = folders.data ?? [];
  const f = list[Math.min(selected, list.length - 1)];
  const back = () => setMode({ kind: 'list' });

  useKeymap({
    a: () => setMode({ kind: 'add' }),
    p: () => f && void action.run(`${f.paused ? 'resume' : 'pause'} ${f.name}`, (c) => c.call<FolderDto>('POST', `/folders/${encodeURIComponent(f.name)}/${f.paused ? 'resume' : 'pause'}`), (r) => `${r.name} is ${r.state}`, folders.refresh),
    d: () => f && setMode({
      kind: 'confirm',
      question: `Stop watching ${f.name} (${f.path})? Its files stay where they are.`,
      act: () => void action.run(`remove ${f.name}`, (c) => c.call('DELETE', `/folders/${encodeURIComponent(f.name)}`), () => `${f.name} is no longer watched`, folders.refresh),
    }),
    t: () => f && setMode({ kind: 'test', folder: f }),
    return: () => f && setMode({ kind: 'quarantine', folder: f.name }),
    r: () => void action.run('rescan every folder', (c) => c.call<{ files: number }>('POST', '/folders/rescan'), (r) => `rescan found ${r.files} ${r.files === 1 ? 'file' : 'files'}`, folders.refresh),
  }, { active: mode.kind === 'list' });
  useKeymap({ escape: back }, { active: mode.kind === 'test' && mode.result !== undefined });

  if (mode.kind === 'add') {
    return <FolderAdd width={width} height={height} onDone={(message, ok) => { back(); if (message) action.say(message, ok ?? true); folders.refresh(); }} />;
  }
  if (mode.kind === 'quarantine') return <Quarantine folder={mode.folder} width={width} height={height} onBack={back} />;
  if (mode.kind === 'test') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold wrap="truncate-end">Test the rule of {mode.folder.name}: {mode.folder.rule} ({mode.folder.layout})</Text>
        {mode.result
          ? <RuleResults rule={mode.result.rule} results={mode.result.results} width={width} height={height - 3} />
          : <TextInput label="Example file names, comma-separated:" onCancel={back} onSubmit={(text) => {
            const names = splitNames(text);
            if (names.length === 0) return back();
            void action.run('test rule', (c) => testRule(c, mode.folder.rule, names, mode.folder.layout), () => `rule ${mode.folder.rule} read ${names.length} ${names.length === 1 ? 'name' : 'names'}`,
              (result) => setMode({ ...mode, result }));
          }} />}
        <StatusLine {...action.status} />
        <KeyHints hints={[['Esc', 'back']]} />
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">{' '}{'Name'.padEnd(16)}{'State'.padEnd(10)}{'Rule'.padEnd(11)}{'After'.padEnd(8)}Path</Text>
      <SelectList items={list} selected={Math.min(selected, Math.max(0, list.length - 1))} onSelect={setSelected} height={height - 6} rowKey={(x) => x.name}
        active={mode.kind === 'list'} empty={folders.loading ? 'loading…' : 'no folders are watched — press a to add one'}
        row={(x) => (
          <Text>
            {fit(x.name, 15, true)} <Text color={theme.tone(toneOf(x.state) ?? 'dim')}>{x.state.padEnd(10)}</Text>{fit(x.rule, 10, true)} {x.after.padEnd(8)}{fit(x.path, width - 47)}
          </Text>
        )} />
      <Text wrap="truncate-end" color={theme.tone(f?.state === 'error' || f?.state === 'missing' ? 'bad' : 'dim')}>
        {f ? (f.message ? `${f.name}: ${f.message}` : `${f.origin === 'config' ? 'from the config file' : 'added here'} · quarantine ${f.quarantineDir}`) : ' '}
      </Text>
      <Text> </Text>
      {mode.kind === 'confirm'
        ? <Confirm question={mode.question} onYes={() => { const act = mode.act; back(); act(); }} onNo={() => { back(); action.say('nothing done'); }} />
        : folders.error ? <ErrorLine error={folders.error} /> : <StatusLine {...action.status} />}
      <KeyHints hints={[['⏎', 'quarantine'], ['a', 'add'], ['p', 'pause/resume'], ['d', 'remove'], ['t', 'test rule'], ['r', 'rescan']]} />
    </Box>
  );
}
