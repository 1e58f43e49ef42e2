// The byte-level number parser behind every text reader: it must give exactly what
// Number() gives for every spelling a mesh exporter produces, and refuse what is not a number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextScanner } from '../../../src/mesh/read/text-scanner.js';

function parse(text: string): { value: number; ok: boolean; rest: number } {
  const s = new TextScanner(new TextEncoder().encode(text));
  const value = s.readFloat();
  return { value, ok: s.ok, rest: s.end - s.pos };
}

const spellings: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.float({ noNaN: true, noDefaultInfinity: true }).map(Number)),
    fc.constantFrom('string', 'exponential', 'precision', 'fixed', 'float32'),
    fc.integer({ min: 1, max: 20 }),
    fc.boolean(),
  )
  .map(([v, how, digits, upper]) => {
    let s: string;
    if (how === 'exponential') s = v.toExponential(digits);
    else if (how === 'precision') s = v.toPrecision(digits);
    else if (how === 'fixed') s = Math.abs(v) < 1e20 ? v.toFixed(digits) : String(v);
    else if (how === 'float32') s = Math.fround(v).toPrecision(9);
    else s = String(v);
    return upper ? s.toUpperCase() : s;
  });

describe('TextScanner.readFloat', () => {
  it('equals Number() for decimal, exponent, fixed and float32 spellings', () => {
    fc.assert(
      fc.property(spellings, fc.boolean(), (text, plus) => {
        fc.pre(!/inf/i.test(text)); // float32 rounding of a huge double; covered below
        const spelled = plus && !text.startsWith('-') ? `+${text}` : text;
        const r = parse(`${spelled} `);
        assert.ok(r.ok, spelled);
        assert.ok(Object.is(r.value, Number(spelled)) || (r.value === 0 && Number(spelled) === 0), `${spelled} → ${r.value}`);
        assert.equal(r.rest, 1);
      }),
      { seed: 42, numRuns: 20000 },
    );
  });

  it('reads long mantissas and large exponents exactly (slow path)', () => {
    for (const text of ['3.14159265358979323846264338', '1e300', '2.2250738585072014e-308', '123456789012345678901234567890', '0.1e-30', '1.000000000000000000000000001']) {
      assert.equal(parse(text).value, Number(text), text);
    }
  });

  it('parses nan and infinities so readers can reject them as non-finite', () => {
    assert.ok(Number.isNaN(parse('nan').value) && parse('NaN').ok);
    assert.equal(parse('inf').value, Infinity);
    assert.equal(parse('-Infinity').value, -Infinity);
    assert.equal(parse('1e999').value, Infinity);
  });

  it('refuses text that is not one number, leaving the position unchanged', () => {
    for (const text of ['', '.', '-', 'e5', 'abc', '1,5', '1.5abc', '2.5.1', '--1', 'infinite']) {
      const r = parse(text);
      assert.equal(r.ok, false, text);
      assert.equal(r.rest, new TextEncoder().encode(text).length, text);
    }
  });

  it('accepts the odd but valid spellings exporters write', () => {
    for (const [text, value] of [['2.', 2], ['.5', 0.5], ['+1e+2', 100], ['1E2', 100], ['-0', -0], ['007', 7], ['1e-2', 0.01]] as const) {
      assert.ok(Object.is(parse(text).value, value), text);
    }
  });
});

describe('TextScanner.readInt', () => {
  it('reads signed integers and refuses non-integers', () => {
    const s = new TextScanner(new TextEncoder().encode('-12 +7 x'));
    assert.equal(s.readInt(), -12);
    s.skipBlanks();
    assert.equal(s.readInt(), 7);
    s.skipBlanks();
    s.readInt();
    assert.equal(s.ok, false);
  });
});
