/**
 * Short-lived signed download links, for viewers that cannot send an Authorization header.
 * A link names one file of one scan, when it expires and who made it; the signature is an
 * HMAC-SHA256 over exactly those fields with a secret of this installation (kept in the
 * encrypted database, made on first use). Changing any field, or the secret, voids it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CuspError } from '../errors.js';
import type { MetaRepository } from '../store/meta.js';

const SECRET_KEY = 'signed_link_secret';

/** The longest a link may live: links leak into browser histories and proxy logs. */
export const MAX_LINK_SECONDS = 3600;

export interface LinkClaims {
  /** The scan's uid. */
  uid: string;
  /** Which file: 'original', 'converted:glb', an artifact kind. */
  what: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The actor who made the link (`principal:<id>` or `local-admin`): its uses are audited as theirs. */
  by: string;
}

/** The installation's link secret, made (256 random bits) and stored on first use. */
export function linkSecret(meta: MetaRepository): Buffer {
  let value = meta.get(SECRET_KEY);
  if (!value) {
    value = randomBytes(32).toString('base64url');
    meta.set(SECRET_KEY, value);
  }
  return Buffer.from(value, 'base64url');
}

function mac(secret: Buffer, c: LinkClaims): Buffer {
  // Length-free fields joined by a newline, which none of them may hold (checked by signLink).
  return createHmac('sha256', secret).update(`cusp-link-v1\n${c.uid}\n${c.what}\n${c.exp}\n${c.by}`).digest();
}

/** The signature of a link, base64url. */
export function signLink(secret: Buffer, claims: LinkClaims): string {
  if (/\n/.test(claims.uid + claims.what + claims.by) || !Number.isSafeInteger(claims.exp)) {
    throw new CuspError('invalid_input', 'a link field holds a line break or the expiry is not a whole number');
  }
  return mac(secret, claims).toString('base64url');
}

/**
 * Check a link's signature, then its expiry. Throws a 403 saying which: an altered (or
 * foreign) link and an expired one need different fixes.
 */
export function verifyLink(secret: Buffer, claims: LinkClaims, sig: string, nowMs: number = Date.now()): void {
  // Compare the text, not decoded bytes: base64url's last character has spare bits, so two
  // spellings decode alike — a link has exactly one valid spelling.
  const given = Buffer.from(sig);
  const expected = Buffer.from(mac(secret, claims).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new CuspError('forbidden', 'this link is not valid: its signature does not match (it was altered, or made by another Cusp installation) — ask for a new link');
  }
  if (nowMs >= claims.exp * 1000) {
    throw new CuspError('forbidden', `this link expired at ${new Date(claims.exp * 1000).toISOString()} — ask for a new link`);
  }
}

/** The path and query of a link below the API's root, e.g. `/api/v1/links/<uid>/converted%3Aglb?exp=…&by=…&sig=…`. */
export function linkPath(secret: Buffer, claims: LinkClaims): string {
  const sig = signLink(secret, claims);
  const query = new URLSearchParams({ exp: String(claims.exp), by: claims.by, sig });
  return `/api/v1/links/${encodeURIComponent(claims.uid)}/${encodeURIComponent(claims.what)}?${query.toString()}`;
}

/**
 * The link as handed out: absolute below `publicUrl` (the config's `api.publicUrl`, the
 * address clients reach the API at — a path in it, e.g. behind a reverse proxy, is kept),
 * else the path and query alone, for the client to put after the address it called.
 */
export function linkUrl(secret: Buffer, claims: LinkClaims, publicUrl?: string): string {
  const path = linkPath(secret, claims);
  if (!publicUrl) return path;
  const base = new URL(publicUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`;
}
