// Text writers print every float32 so that it reads back as the same float32.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextScanner } from '../../../src/mesh/read/text-scanner.js';
import { formatFloat32 } from '../../../src/mesh/write/text-output.js';

describe('formatFloat32', () => {
  it('round-trips every finite float32 through Number and through the mesh text scanner', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const s = formatFloat32(v);
        assert.ok(Object.is(Math.fround(Number(s)), v), `${v} → ${s}`);
        const scanner = new TextScanner(new TextEncoder().encode(s));
        assert.ok(Object.is(Math.fround(scanner.readFloat()), v), `scanner: ${s}`);
      }),
      { seed: 7, numRuns: 20000 },
    );
  });

  it('prints short values short', () => {
    assert.equal(formatFloat32(1), '1');
    assert.equal(formatFloat32(-0), '-0');
    assert.equal(formatFloat32(Math.fround(0.5)), '0.5');
    assert.equal(formatFloat32(Math.fround(12.25)), '12.25');
  });
});
