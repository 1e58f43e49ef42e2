/** A folder's quarantine: the files Cusp could not take in, newest first, each with its reason. */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { QuarantinedDto } from '../../src/api/schemas/folder.js';
import { KeyHints } from '../components/key-hints.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine } from '../components/status-line.js';
import { bytes, fit, reasonWithoutName, when } from '../format.js';
import { useApi } from '../hooks/use-api.js';
import { useRefreshOn } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

function reasonOf(f: Pick<QuarantinedDto, 'file' | 'reason'>): string {
  return f.reason ? reasonWithoutName(f.reason, f.file) : 'no reason recorded';
}

export function Quarantine({ folder, width, height, onBack }: { folder: string; width: number; height: number; onBack(): void }) {
  const theme = useTheme();
  const q = useApi((c) => c.call<{ folder: string; dir: string; files: QuarantinedDto[] }>('GET', `/folders/${encodeURIComponent(folder)}/quarantine`), [folder]);
  useRefreshOn(['scan.quarantined'], q.refresh);
  const [selected, setSelected] = useState(0);
  useKeymap({ escape: onBack });
  const files = q.data?.files ?? [];
  const f = files[Math.min(selected, files.length - 1)];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">Quarantine of {folder}{q.data ? <Text color={theme.tone('dim')}> · {q.data.dir} · {files.length} {files.length === 1 ? 'file' : 'files'}</Text> : null}</Text>
      <SelectList items={files} selected={Math.min(selected, Math.max(0, files.length - 1))} onSelect={setSelected} height={height - 6} rowKey={(x) => x.file}
        empty={q.loading ? 'loading…' : 'the quarantine is empty'}
        row={(x) => <Text>{when(x.quarantinedAt).slice(5)} {fit(x.file, 28, true)} <Text color={theme.tone('bad')}>{fit(reasonOf(x), width - 48)}</Text></Text>} />
      <Box height={3} overflow="hidden">
        <Text wrap="wrap">{f ? `${f.file} (${bytes(f.size)}): ${reasonOf(f)}` : ' '}</Text>
      </Box>
      {q.error ? <ErrorLine error={q.error} /> : <Text> </Text>}
      <KeyHints hints={[['↑↓', 'select'], ['Esc', 'back']]} />
    </Box>
  );
}
