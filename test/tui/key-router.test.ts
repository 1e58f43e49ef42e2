// The console's key router takes what Ink read from the terminal. Keys that arrive faster
// than Ink reads come as one string (a held Backspace, fast j/k, typed ahead over SSH): each
// must be applied, in order, and a key that opens a field must have that field get the keys
// after it. A bracketed paste arrives whole, and its line break never presses Enter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { keyName, keyOfChar, KeyRouter } from '../../tui/hooks/use-keymap.js';

const turns = async (n = 50) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

function recorder(router: KeyRouter, name = 'screen', owner = false) {
  const seen: string[] = [];
  router.listeners.add({ current: { handler: (input: string, key: Key) => seen.push(`${name}:${keyName(input, key)}`), active: true, owner } });
  return seen;
}

/** What Ink hands over for a read of plain characters: the string with no key flag set. */
const plain = (s: string): [string, Key] => [s, { ...keyOfChar('a')[1] }];

test('a burst of Backspaces, of j and of typed text becomes one key press per character, in order', async () => {
  const router = new KeyRouter();
  const seen = recorder(router);
  router.feed(...plain('\x7f\x7f\x7f'));
  router.feed(...plain('jjk'));
  router.feed(...plain('ab\r'));
  await turns();
  assert.deepEqual(seen, ['screen:backspace', 'screen:backspace', 'screen:backspace', 'screen:j', 'screen:j', 'screen:k', 'screen:a', 'screen:b', 'screen:return']);
});

test('control characters in a burst keep their meaning: Tab, Esc, Ctrl+L, capitals', () => {
  assert.equal(keyName(...keyOfChar('\t')), 'tab');
  assert.equal(keyName(...keyOfChar('\x1b')), 'escape');
  const [l, ctrl] = keyOfChar('\x0c');
  assert.equal(l, 'l');
  assert.equal(ctrl.ctrl, true);
  assert.equal(keyOfChar('Q')[1].shift, true);
  assert.equal(keyName(...keyOfChar('\b')), 'backspace');
});

test('a key that opens a field hands the rest of its burst to that field, not to the screen', async () => {
  const router = new KeyRouter();
  const seen: string[] = [];
  const holder = Symbol('field');
  // The screen opens a field on '/', as a screen does: the field registers before the next key.
  const screen = {
    current: {
      active: true, owner: false,
      handler: (input: string) => {
        seen.push(`screen:${input}`);
        if (input === '/') {
          router.holders.add(holder);
          router.listeners.add({ current: { active: true, owner: true, handler: (i: string, k: Key) => seen.push(`field:${keyName(i, k)}`) } });
        }
      },
    },
  };
  router.listeners.add(screen);
  router.feed(...plain('x/ab'));
  await turns();
  assert.deepEqual(seen, ['screen:x', 'screen:/', 'field:a', 'field:b']);
});

test('a bracketed paste arrives whole as text, its line breaks as spaces, without pressing Enter', async () => {
  const router = new KeyRouter();
  const seen: string[] = [];
  router.listeners.add({ current: { active: true, owner: false, handler: (input: string, key: Key) => seen.push(key.return ? '<Enter>' : input) } });
  // As Ink hands it over: the start marker, text (split across reads), a line break as Enter, the end marker.
  router.feed(...plain('[200~'));
  router.feed(...plain('cusp_tok'));
  router.feed(...plain('en_123'));
  router.feed('', { ...keyOfChar('\r')[1] });
  router.feed(...plain('[201~'));
  router.feed(...plain('z'));
  await turns();
  assert.deepEqual(seen, ['cusp_token_123', 'z']);
});
