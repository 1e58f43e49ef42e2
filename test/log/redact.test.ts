import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { redact, safe } from '../../src/log/index.js';

// Redacted output is plain JSON data; tests index into it freely.
type Json = Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>;

/** The redacted value as the JSON a log line would carry. */
function line(value: unknown, secrets: string[] = [], scanDirs: string[] = []): string {
  return JSON.stringify(redact(value, secrets, { scanDirs }));
}

describe('redact: field names', () => {
  it('hides secret and PHI fields at any depth, in arrays and inside errors, keeping the rest', () => {
    const err = Object.assign(new Error('lookup failed'), { code: 'E_LOOKUP', details: { lastName: 'Kowalczyk', apiToken: 't0ps3cret' } });
    const out = redact({
      scanId: 42,
      counts: { triangles: 28508 },
      headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=abc123', 'x-request-id': 'r-1' },
      users: [{ role: 'admin', password: 'correct horse', email: 'it@clinic.example' }],
      deep: { a: { b: { c: { db_key: 'k3y', dateOfBirth: '1980-02-03', phone: '+49 30 1234' } } } },
      err,
    }) as Json;
    assert.equal(out.scanId, 42);
    assert.equal(out.counts.triangles, 28508);
    assert.equal(out.headers['x-request-id'], 'r-1');
    assert.equal(out.headers.authorization, '[redacted]');
    assert.equal(out.headers.cookie, '[redacted]');
    assert.deepEqual(out.users, [{ role: 'admin', password: '[redacted]', email: '[redacted]' }]);
    assert.deepEqual(out.deep.a.b.c, { db_key: '[redacted]', dateOfBirth: '[redacted]', phone: '[redacted]' });
    assert.equal(out.err.message, 'lookup failed');
    assert.equal(out.err.code, 'E_LOOKUP');
    assert.deepEqual(out.err.details, { lastName: '[redacted]', apiToken: '[redacted]' });
  });

  it('hides `name` inside a patient object but not a folder or token name', () => {
    const out = redact({ patient: { id: 'p-9', name: 'Anna Schmidt', birthDate: new Date('1975-06-30') }, folder: { name: 'inbox' }, name: 'lab-integration' }) as Json;
    assert.deepEqual(out.patient, { id: 'p-9', name: '[redacted]', birthDate: '[redacted]' });
    assert.equal(out.folder.name, 'inbox');
    assert.equal(out.name, 'lab-integration');
    assert.deepEqual(redact({ patients: [{ id: 1, firstName: 'A', name: 'B C' }, 'Smith, John'] }), { patients: [{ id: 1, firstName: '[redacted]', name: '[redacted]' }, '[redacted]'] });
  });

  it('hides a PHI value wherever else it appears in the same entry, also in an error message', () => {
    const text = line({ msg: 'no scans for ZIEGLER', patient: { lastName: 'Ziegler', firstName: 'Hannelore' }, err: new Error('Hannelore Ziegler has no visit') });
    assert.doesNotMatch(text, /ziegler|hannelore/i);
    assert.match(text, /no scans for \[redacted\]/);
    assert.doesNotMatch(line({ msg: 'read ZieglerHannelore.stl', lastName: 'Ziegler' }), /ziegler/i);
    // A short name goes only as a word of its own: "failed" keeps its "li".
    assert.equal(line({ msg: 'upload failed for LI', lastName: 'Li' }), '{"msg":"upload failed for [redacted]","lastName":"[redacted]"}');
  });
});

describe('redact: secrets and credentials in free text', () => {
  it('replaces registered secrets anywhere in any string', () => {
    const secret = randomBytes(24).toString('base64url');
    const out = line({ note: `opened with ${secret}.`, list: [[`${secret}${secret}`]], m: new Map([['k', secret]]) }, [secret]);
    assert.ok(!out.includes(secret));
    assert.match(out, /opened with \[redacted\]\./);
  });

  it('recognises tokens, raw keys, key literals, PEM blocks and password pairs by shape', () => {
    const token = `cusp_${randomBytes(32).toString('base64url')}`;
    const hexKey = randomBytes(32).toString('hex');
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const messages = [
      `request with Authorization: Bearer ${token}`,
      `issued ${token} to lab`,
      `PRAGMA key = "x'${hexKey.toUpperCase()}'"`,
      `raw key ${hexKey}`,
      `loaded ${pem} from disk`,
      'login failed password=hunter2 user=admin',
      `GET /api/v1/scans/7/download?sig=${hexKey.slice(0, 20)}&exp=99`,
    ];
    const out = line({ messages });
    for (const leaked of [token, token.slice(5), hexKey, hexKey.toUpperCase(), 'PRIVATE KEY', 'MC4CAQAwBQYDK2Vw', 'hunter2', hexKey.slice(0, 20)]) {
      assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
    }
    assert.match(out, /user=admin/);
    assert.match(out, /exp=99/);
  });
});

describe('redact: dates and scan file names', () => {
  it('turns dates into [date] and leaves versions, addresses and sizes alone', () => {
    assert.equal(redact('born 1980-02-03, seen 20.11.2026 and 11/20/2026'), 'born [date], seen [date] and [date]');
    assert.equal(redact('node 20.20.2, cipher 12.11.1, 192.168.1.20:8443, 1.4 MB, 3/4 done'), 'node 20.20.2, cipher 12.11.1, 192.168.1.20:8443, 1.4 MB, 3/4 done');
  });

  it('hides the base name of scanner exports in messages and path fields', () => {
    const msgs = [
      'cannot parse /srv/scans/inbox/Smith_John_2026-11-20_upper.stl: truncated',
      'moved OrthoCAD_Export_88412/88412_shell_occlusion_u.ply',
      'read C:\\Exports\\Mueller_Anna-upperjaw.stl',
      "quarantined 'Anna Müller UpperJaw.stl' (not a mesh)",
      'copying Weber_Karl_lowerjaw.STL.part',
    ];
    assert.deepEqual(redact(msgs), [
      'cannot parse /srv/scans/inbox/[file]: truncated',
      'moved OrthoCAD_Export_88412/[file]',
      'read C:\\Exports\\[file]',
      "quarantined '[file]' (not a mesh)",
      'copying [file]',
    ]);
    assert.deepEqual(redact({ path: '/srv/scans/inbox/Weber/scan.bin', originalName: 'Weber Karl.stl', source: 'trios' }), {
      path: '/srv/scans/inbox/Weber/[file]',
      originalName: '[file]',
      source: 'trios',
    });
    assert.equal(redact('converted to .stl and .glb'), 'converted to .stl and .glb');
  });

  it('hides a patient subfolder below a registered scan folder, and keeps a path marked safe', () => {
    const dirs = ['/srv/scans/inbox/'];
    assert.equal(redact('seen /srv/scans/inbox/Weber_Karl/UpperJaw.stl', [], { scanDirs: dirs }), 'seen /srv/scans/inbox/[file]');
    assert.deepEqual(redact({ file: '/srv/scans/inbox/Weber_Karl/UpperJaw/Data.obj' }, [], { scanDirs: dirs }), { file: '/srv/scans/inbox/[file]' });
    assert.deepEqual(redact({ path: safe('/etc/cusp/cusp.yaml'), file: safe('/var/lib/cusp/cusp.db') }), { path: '/etc/cusp/cusp.yaml', file: '/var/lib/cusp/cusp.db' });
  });
});

describe('redact: shapes', () => {
  it('returns plain JSON-able data for cycles, binary data, bigints and functions', () => {
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    const out = redact({ loop, bytes: Buffer.from('secret bytes'), f32: new Float32Array(4), big: 10n, fn: () => 1, set: new Set([1, 2]) });
    assert.deepEqual(out, { loop: { id: 1, self: '[circular]' }, bytes: '[binary 12 bytes]', f32: '[binary 16 bytes]', big: '10', set: [1, 2] });
  });

  it('never lets a name, birth date or secret through, whatever the text around it (seeded)', () => {
    const word = fc.stringMatching(/^[A-Z][a-zà-ÿ]{2,12}$/);
    const text = fc.string({ unit: fc.constantFrom(...'abc XYZ 0123,.:/_-'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(word, word, fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }), fc.uint8Array({ minLength: 32, maxLength: 32 }), text, text,
        (first, last, birth, keyBytes, before, after) => {
          const iso = birth.toISOString().slice(0, 10);
          const [y, m, d] = iso.split('-');
          const hex = Buffer.from(keyBytes).toString('hex');
          const out = line({
            msg: `${before} ${last}, ${first} ${after} born ${d}.${m}.${y}`,
            patient: { firstName: first, lastName: last, birthDate: iso },
            note: `${before}${iso}${after} ${m}/${d}/${y} key ${hex}`,
          });
          // The markers themselves hold letters ("Eda" is in "[redacted]"): look past them.
          const rest = out.replace(/\[(redacted|date|key|token|file)\]/g, '#').toLowerCase();
          for (const leaked of [first, last, iso, `${d}.${m}.${y}`, `${m}/${d}/${y}`, hex]) {
            assert.ok(!rest.includes(leaked.toLowerCase()), `${leaked} leaked: ${out}`);
          }
        }),
      { seed: 20261120, numRuns: 300 },
    );
  });
});
