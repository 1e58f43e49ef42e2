// NO_COLOR: the console draws the same screens with no colour escape at all (bold and
// inverse stay: they are not colours). Colour support is forced on for this process, so
// the difference comes from the console's theme alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';

process.env.FORCE_COLOR = '3';
const { colourWanted } = await import('../../tui/theme.js');
const { consoleDaemon, Connection, renderConsole } = await import('./console-helpers.js');

const COLOUR_SGR = /\x1b\[(?:[34][0-9]|9[0-7]|10[0-7])(?:;[\d;]*)?m/; // eslint-disable-line no-control-regex

test('NO_COLOR and TERM=dumb turn colours off', () => {
  assert.equal(colourWanted({ NO_COLOR: '1' }), false);
  assert.equal(colourWanted({ NO_COLOR: '' }), true);
  assert.equal(colourWanted({ TERM: 'dumb' }), false);
  assert.equal(colourWanted({ TERM: 'xterm-256color' }), true);
});

test('with colours off no screen carries a colour escape; with colours on the same screen does', async (t) => {
  const { socketPath } = await consoleDaemon(t);
  for (const screen of ['overview', 'folders', 'audit', 'maintenance'] as const) {
    const plain = renderConsole(t, Connection.socket(socketPath), { colour: false, initialScreen: screen });
    const coloured = renderConsole(t, Connection.socket(socketPath), { colour: true, initialScreen: screen });
    const ready = (f: string) => /● ready/.test(f.replace(COLOUR_SGR, '')) && !/loading…|connecting/.test(f);
    const p = await plain.waitFor(ready);
    const c = await coloured.waitFor((f) => ready(f) && COLOUR_SGR.test(f));
    assert.doesNotMatch(p, COLOUR_SGR, `${screen} without colour:\n${JSON.stringify(p)}`);
    assert.match(p, /\x1b\[7m/, `${screen}: the nav bar still marks the current screen in inverse`); // eslint-disable-line no-control-regex
    assert.match(c, COLOUR_SGR);
    plain.unmount();
    coloured.unmount();
  }
});
