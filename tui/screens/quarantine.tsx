/**
 * A folder's quarantine: the files Cusp could not take in, newest first, each with its reason
 * in full below the list (wrapped; PgUp/PgDn scroll a long one). Once the cause is fixed, `r`
 * sends the selected file — or every file marked with Space — back through ingest; `d`
 * deletes them for good after asking. Both go through the API (audited there).
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { QuarantinedDto } from '../../src/api/schemas/folder.js';
import { Confirm } from '../components/confirm.js';
import { patientLabel } from '../components/patient-picker.js';
import { KeyHints } from '../components/key-hints.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { bytes, fit, reasonWithoutName, when } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useRefreshOn } from '../hooks/use-events.js';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

function reasonOf(f: Pick<QuarantinedDto, 'file' | 'reason'>): string {
  return f.reason ? reasonWithoutName(f.reason, f.file) : 'no reason recorded';
}

/** Whose the file may be, as an admin sees patients: name, birth date and the record's pseudonymous id. */
export function ownerOf(f: Pick<QuarantinedDto, 'owner'>): string {
  const o = f.owner;
  if (!o) return 'its name names no patient';
  const who = patientLabel({ lastName: o.lastName, firstName: o.firstName, birthDate: o.birthDate, id: o.patient ?? '' });
  if (o.patient) return `${who} ${o.patient}`;
  return o.records === 0 ? `${who} · no record yet (a retry creates one)` : `${who} · fits ${o.records} records (a retry goes to identity review)`;
}

/** `text` cut into lines of at most `width` characters, at spaces where it can. */
export function wrapLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let w = word; w.length > 0;) {
      const room = width - (line ? line.length + 1 : 0);
      if (w.length <= room) {
        line = line ? `${line} ${w}` : w;
        w = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

const DETAIL_ROWS = 5;

export function Quarantine({ folder, width, height, onBack }: { folder: string; width: number; height: number; onBack(): void }) {
  const theme = useTheme();
  const path = `/folders/${encodeURIComponent(folder)}/quarantine`;
  const q = useApi((c) => c.call<{ folder: string; dir: string; files: QuarantinedDto[] }>('GET', path), [folder]);
  useRefreshOn(['scan.quarantined'], q.refresh);
  const [selected, setSelected] = useState(0);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [scroll, setScroll] = useState(0);
  const [asking, setAsking] = useState<string[] | undefined>(undefined);
  const action = useAction();
  const files = q.data?.files ?? [];
  const f = files[Math.min(selected, files.length - 1)];
  // The marked files that are still listed, else the selected one.
  const targets = (): string[] => {
    const still = files.filter((x) => marked.has(x.file)).map((x) => x.file);
    return still.length > 0 ? still : f ? [f.file] : [];
  };
  const done = () => {
    setMarked(new Set());
    setScroll(0);
    q.refresh();
  };
  const detail = f ? [...wrapLines(`Whose: ${ownerOf(f)}`, width), ...wrapLines(`${f.file} (${bytes(f.size)}, ${when(f.quarantinedAt)}): ${reasonOf(f)}`, width)] : [];
  const maxScroll = Math.max(0, detail.length - DETAIL_ROWS);
  const count = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;
  useKeymap({
    escape: onBack,
    ' ': () => f && setMarked((m) => {
      const next = new Set(m);
      if (next.has(f.file)) next.delete(f.file);
      else next.add(f.file);
      return next;
    }),
    r: () => {
      const names = targets();
      if (names.length === 0) return;
      void action.run(`retry ${count(names.length)}`, (c) => c.call<{ retried: Array<{ to: string }> }>('POST', `${path}/retry`, { body: { files: names } }),
        (r) => `${count(r.retried.length)} back in ${folder}: ingest takes ${r.retried.length === 1 ? 'it' : 'them'} as new (quarantined again if still wrong)`, done);
    },
    d: () => {
      const names = targets();
      if (names.length > 0) setAsking(names);
    },
    pagedown: () => setScroll((s) => Math.min(maxScroll, s + DETAIL_ROWS)),
    pageup: () => setScroll((s) => Math.max(0, s - DETAIL_ROWS)),
  }, { active: asking === undefined });
  const onSelect = (i: number) => {
    setSelected(i);
    setScroll(0);
  };
  const question = asking && (
    <Confirm
      question={`Delete ${asking.length === 1 ? asking[0] : count(asking.length)} and ${asking.length === 1 ? 'its note' : 'their notes'} for good? ${asking.length === 1 ? 'It was' : 'They were'} never stored.`}
      onYes={() => {
        const names = asking;
        setAsking(undefined);
        void action.run(`remove ${count(names.length)}`, (c) => c.call<{ removed: number }>('POST', `${path}/remove`, { body: { files: names } }), (r) => `${count(r.removed)} deleted from the quarantine`, done);
      }}
      onNo={() => setAsking(undefined)}
    />
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">Quarantine of {folder}{q.data ? <Text color={theme.tone('dim')}> · {count(files.length)}{marked.size ? ` · ${marked.size} marked` : ''} · {q.data.dir}</Text> : null}</Text>
      <SelectList items={files} selected={Math.min(selected, Math.max(0, files.length - 1))} onSelect={onSelect} height={height - 4 - DETAIL_ROWS} rowKey={(x) => x.file}
        active={asking === undefined} empty={q.loading ? 'loading…' : 'the quarantine is empty'}
        row={(x) => <Text>{marked.has(x.file) ? '●' : ' '} {when(x.quarantinedAt).slice(5)} {fit(x.file, 28, true)} <Text color={theme.tone('bad')}>{fit(reasonOf(x), width - 50)}</Text></Text>} />
      <Box height={DETAIL_ROWS} flexDirection="column" overflow="hidden">
        {detail.slice(scroll, scroll + DETAIL_ROWS).map((line, i) => <Text key={i}>{line}</Text>)}
      </Box>
      {question ?? (q.error ? <ErrorLine error={q.error} /> : <StatusLine {...action.status} />)}
      <KeyHints hints={[['↑↓', 'select'], ['Space', 'mark'], ['r', 'retry'], ['d', 'delete'], ...(maxScroll > 0 ? [['PgDn', 'more reason'] as [string, string]] : []), ['Esc', 'back']]} />
    </Box>
  );
}
