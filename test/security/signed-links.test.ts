import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { linkPath, linkSecret, signLink, verifyLink, type LinkClaims } from '../../src/security/signed-links.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const claims: LinkClaims = { uid: '6f1c2d0e-1111-4000-8000-000000000001', what: 'converted:glb', exp: NOW / 1000 + 300, by: 'principal:7' };

test('the link secret is made once per installation, kept in the encrypted database, and survives a restart', (t) => {
  const path = join(tempDir(t), 'cusp.db');
  const key = randomBytes(32);
  const store = openStore(path, key);
  const secret = linkSecret(store.meta);
  assert.equal(secret.length, 32);
  assert.deepEqual(linkSecret(store.meta), secret);
  store.close();
  const reopened = openStore(path, key);
  t.after(() => reopened.close());
  assert.deepEqual(linkSecret(reopened.meta), secret);
});

test('a link verifies until it expires; changing any field or the secret voids it', () => {
  const secret = randomBytes(32);
  const sig = signLink(secret, claims);
  assert.match(sig, /^[A-Za-z0-9_-]{43}$/);
  verifyLink(secret, claims, sig, NOW);
  verifyLink(secret, claims, sig, NOW + 299_999);
  assert.throws(() => verifyLink(secret, claims, sig, NOW + 300_000), /expired at 2026-11-20T10:05:00.000Z — ask for a new link/);
  const altered: Array<Partial<LinkClaims>> = [
    { uid: '6f1c2d0e-1111-4000-8000-000000000002' }, { what: 'original' }, { exp: claims.exp + 3600 }, { by: 'principal:8' },
  ];
  for (const change of altered) {
    assert.throws(() => verifyLink(secret, { ...claims, ...change }, sig, NOW), (e: Error & { code?: string }) => e.code === 'forbidden' && /signature does not match/.test(e.message), JSON.stringify(change));
  }
  assert.throws(() => verifyLink(randomBytes(32), claims, sig, NOW), /signature does not match/, 'another installation');
  assert.throws(() => verifyLink(secret, claims, sig.slice(0, 20), NOW), /signature does not match/, 'a cut signature');
  // The canonical last character has its 2 spare bits clear; the next character sets one.
  const last = sig.at(-1)!;
  assert.ok('AEIMQUYcgkosw048'.includes(last));
  const sameBits = String.fromCharCode(last.charCodeAt(0) + 1);
  assert.deepEqual(Buffer.from(`${sig.slice(0, -1)}${sameBits}`, 'base64url'), Buffer.from(sig, 'base64url'), 'the spare bits of the last character');
  assert.throws(() => verifyLink(secret, claims, `${sig.slice(0, -1)}${sameBits}`, NOW), /signature does not match/, 'one valid spelling only');
  const flipped = `${sig.slice(0, 10)}${sig[10] === 'x' ? 'y' : 'x'}${sig.slice(11)}`;
  assert.throws(() => verifyLink(secret, claims, flipped, NOW), /signature does not match/);
});

test('a tampered link is refused before its expiry is looked at; fields with line breaks cannot be signed', () => {
  const secret = randomBytes(32);
  const expiredSig = signLink(secret, { ...claims, exp: NOW / 1000 - 10 });
  assert.throws(() => verifyLink(secret, { ...claims, exp: NOW / 1000 - 10, what: 'original' }, expiredSig, NOW), /signature does not match/);
  assert.throws(() => signLink(secret, { ...claims, what: 'original\nprincipal:1' }), /line break/);
});

test('the link path carries exp, by and sig and encodes the kind', () => {
  const secret = randomBytes(32);
  const path = linkPath(secret, claims);
  const url = new URL(path, 'https://cusp.lan');
  assert.equal(url.pathname, `/api/v1/links/${claims.uid}/converted%3Aglb`);
  assert.equal(url.searchParams.get('exp'), String(claims.exp));
  assert.equal(url.searchParams.get('by'), 'principal:7');
  verifyLink(secret, { uid: claims.uid, what: decodeURIComponent(url.pathname.split('/').pop()!), exp: Number(url.searchParams.get('exp')), by: url.searchParams.get('by')! }, url.searchParams.get('sig')!, NOW);
});
