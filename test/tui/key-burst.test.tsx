// Bursts through the real Ink input path: a list and a text field rendered with
// ink-testing-library, the keys written to stdin in one write each (as a terminal delivers
// keys that came faster than they are read).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { render } from 'ink-testing-library';
import { SelectList } from '../../tui/components/select-list.js';
import { TextInput } from '../../tui/components/text-input.js';
import { KeyboardContext, useKeyRouter, useKeymap, useKeys } from '../../tui/hooks/use-keymap.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ITEMS = Array.from({ length: 12 }, (_, i) => `item ${i}`);

function Screen() {
  const router = useKeyRouter();
  return (
    <KeyboardContext.Provider value={router}>
      <Root router={router} />
    </KeyboardContext.Provider>
  );
}

function Root({ router }: { router: ReturnType<typeof useKeyRouter> }) {
  useInput((input, key) => router.feed(input, key));
  const [selected, setSelected] = useState(0);
  const [field, setField] = useState(false);
  const [submitted, setSubmitted] = useState<string | undefined>(undefined);
  useKeymap({ '/': () => setField(true) }, { active: !field });
  useKeys(() => undefined);
  return (
    <Box flexDirection="column">
      <SelectList items={ITEMS} selected={selected} onSelect={setSelected} height={14} rowKey={(x) => x} row={(x) => <Text>{x}</Text>} active={!field} />
      {field ? <TextInput label="Find:" onSubmit={(v) => { setSubmitted(v); setField(false); }} onCancel={() => setField(false)} /> : null}
      <Text>submitted={submitted ?? '-'}</Text>
    </Box>
  );
}

async function until(r: ReturnType<typeof render>, re: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const f = r.lastFrame() ?? '';
    if (re.test(f)) return f;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${re}:\n${r.lastFrame()}`);
}

test('a list moves once per key of a burst, and a field opened mid-burst gets the keys after it', async (t) => {
  const r = render(<Screen />);
  t.after(() => r.unmount());
  await until(r, /›item 0/);
  r.stdin.write('jjj');
  await until(r, /›item 3/);
  r.stdin.write('\u001B[B\u001B[B');
  await until(r, /›item 5/);
  r.stdin.write('k');
  await until(r, /›item 4/);
  // A held Backspace and typed-ahead text, with the key that opens the field in front.
  r.stdin.write('/abcxyz\u007F\u007F\u007Fdef\r');
  const frame = await until(r, /submitted=abcdef/);
  assert.match(frame, /›item 4/, 'the typed letters went to the field, not to the list');
});
