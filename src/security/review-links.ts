/**
 * Signed review links: `/review/l/<payload>.<signature>` opens the review page for one
 * patient (at the patient, a visit or a scan) without a sign-in, for practice software that
 * launches a viewer and for `cusp link`. The payload names the target, its patient, the
 * expiry, who made the link and with which token; the signature is an HMAC-SHA256 with the
 * installation's link secret (signed-links.ts) under its own label, so a download link's
 * signature can never pass as a review link's. Ids only, no names: links end up in browser
 * histories.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CuspError } from '../errors.js';

/** The longest a review link may live (a day: a link in tomorrow's schedule, not one that lingers). */
export const MAX_REVIEW_LINK_MINUTES = 1440;

export interface ReviewLinkClaims {
  /** What the link opens. */
  kind: 'patient' | 'visit' | 'scan';
  /** The patient's pseudoId, the visit's number, or the scan's uid. */
  id: string;
  /** The patient the session is limited to (pseudoId). */
  patient: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The maker: `principal:<id>` or `local-admin`; the session acts as them. */
  by: string;
  /** The maker's token, when made with one: revoking it voids the link and its sessions. */
  token?: number;
}

const claimsSchema = z.strictObject({
  kind: z.enum(['patient', 'visit', 'scan']),
  id: z.string().min(1).max(64),
  patient: z.string().min(1).max(64),
  exp: z.number().int().positive(),
  by: z.string().regex(/^(principal:\d{1,12}|local-admin)$/),
  token: z.number().int().positive().optional(),
});

const SIGNED = /^([A-Za-z0-9_-]{1,700})\.([A-Za-z0-9_-]{43})$/;

const mac = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(`cusp-review-link-v1\n${payload}`).digest('base64url');

/** The signed part of a link (after `/review/l/`). */
export function signReviewLink(secret: Buffer, claims: ReviewLinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claimsSchema.parse(claims))).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * The claims of a signed link, after its signature and then its expiry are checked.
 * Throws CuspError with `details.reason` 'forged' (altered, truncated, or from another
 * installation) or 'expired' — different fixes, so different words.
 */
export function readReviewLink(secret: Buffer, signed: string, nowMs: number = Date.now()): ReviewLinkClaims {
  const m = SIGNED.exec(signed);
  // Compare the signature's text: base64url's last character has spare bits, so a link has exactly one valid spelling.
  const given = Buffer.from(m ? m[2] : '');
  const expected = Buffer.from(m ? mac(secret, m[1]) : '');
  if (!m || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new CuspError('forbidden', 'this review link is not valid: it was altered or cut short, or made by another Cusp server — ask for a new link', { details: { reason: 'forged' } });
  }
  let claims: ReviewLinkClaims;
  try {
    claims = claimsSchema.parse(JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')));
  } catch {
    // Signed by this installation but not in this version's shape.
    throw new CuspError('forbidden', 'this review link is not valid here (made by another version of Cusp) — ask for a new link', { details: { reason: 'forged' } });
  }
  if (nowMs >= claims.exp * 1000) {
    throw new CuspError('forbidden', `this review link expired at ${new Date(claims.exp * 1000).toISOString()} — ask for a new link`, { details: { reason: 'expired' } });
  }
  return claims;
}
