/**
 * Checking the trail against a copy kept outside this server: the lines a syslog collector
 * wrote (checkpoint messages from syslog.ts, or `cusp audit export --format syslog`
 * lines), a `checkpoints.jsonl`, a `/health` answer or a `/metrics` scrape. Someone who
 * holds the database key — even one who replaced the signing key and every file on this
 * server — cannot change what the collector or the monitoring system already holds: each
 * seq and hash there must still be the event at that seq here.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditEventRepository } from '../store/audit-events.js';
import { CHAIN_EXTENSION } from './export.js';
import { CHECKPOINT_SD_ID } from './syslog.js';
import { verifyCheckpoint } from './signing.js';
import type { VerifyProblem } from './verify.js';

/** One seq → hash the outside copy records. */
export interface OutsideRecord {
  seq: number;
  hash: string;
  /** Where in the copy ("line 12", "/health"). */
  where: string;
  /** Signed checkpoints carry these; event lines and heads do not. */
  time?: string;
  keyId?: string;
  signature?: string;
}

export interface AgainstResult {
  source: string;
  records: number;
  matched: number;
  /** The newest seq the copy records. */
  lastSeq: number;
  problems: VerifyProblem[];
}

const HASH = /^[0-9a-f]{64}$/;

/** The SD-PARAMs of the SD-ELEMENT `id` in a syslog line, unescaped. */
function sdParams(line: string, id: string): Record<string, string> | undefined {
  const start = line.indexOf(`[${id} `);
  if (start < 0) return undefined;
  const out: Record<string, string> = {};
  const re = /\s*([^\s=\]"]+)="((?:[^"\\]|\\.)*)"/y;
  re.lastIndex = start + id.length + 2;
  for (let m = re.exec(line); m; m = re.exec(line)) out[m[1]] = m[2].replace(/\\(["\\\]])/g, '$1');
  return out;
}

/** The labels of a Prometheus sample line. */
function promLabels(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = m[2].replace(/\\(.)/g, '$1');
  return out;
}

function record(seq: unknown, hash: unknown, where: string, extra: Partial<OutsideRecord> = {}): OutsideRecord | undefined {
  const n = typeof seq === 'string' ? Number(seq) : seq;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || typeof hash !== 'string' || !HASH.test(hash)) return undefined;
  return { seq: n, hash, where, ...extra };
}

/** What a /health answer (JSON) says about the trail's head. */
function fromHealth(body: unknown, where: string): OutsideRecord[] {
  const audit = (body as { audit?: { headSeq?: unknown; headHash?: unknown; checkpoint?: { seq?: unknown; hash?: unknown } | null } }).audit;
  if (!audit) return [];
  return [record(audit.headSeq, audit.headHash, `${where} (audit head)`), record(audit.checkpoint?.seq, audit.checkpoint?.hash, `${where} (audit checkpoint)`)]
    .filter((r): r is OutsideRecord => r !== undefined);
}

/**
 * Every seq → hash a copy records, whatever kind it is: one JSON document (/health), or
 * lines of JSON checkpoints, syslog messages or Prometheus samples, mixed as they come.
 */
export function readOutsideCopy(text: string): OutsideRecord[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && !trimmed.includes('\n')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      if (body.audit) return fromHealth(body, 'the /health answer');
    } catch {
      // one JSON line of another kind: read below
    }
  }
  const out: OutsideRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const where = `line ${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    let r: OutsideRecord | undefined;
    if (line.startsWith('{')) {
      try {
        const c = JSON.parse(line) as Record<string, unknown>;
        if (c.resourceType === 'AuditEvent') {
          // A FHIR export line: the chain link is in its extension.
          const chain = (c.extension as Array<{ url: string; extension: Array<{ url: string; valueInteger?: number; valueString?: string }> }> | undefined)?.find((e) => e.url === CHAIN_EXTENSION)?.extension;
          r = record(chain?.find((e) => e.url === 'seq')?.valueInteger, chain?.find((e) => e.url === 'hash')?.valueString, where);
        } else {
          r = record(c.seq, c.hash, where, { time: c.time as string, keyId: c.keyId as string, signature: c.signature as string });
        }
      } catch {
        r = undefined;
      }
    } else if (line.startsWith('cusp_audit_checkpoint_info{') || line.startsWith('cusp_audit_head_info{')) {
      const labels = promLabels(line);
      r = record(labels.seq, labels.hash, where);
    } else {
      const cp = sdParams(line, CHECKPOINT_SD_ID);
      if (cp) r = record(cp.seq, cp.hash, where, { time: cp.time, keyId: cp.keyId, signature: cp.signature });
      const ev = r ? undefined : sdParams(line, 'cusp-audit@32473');
      if (ev) r = record(ev.seq, ev.hash, where);
      // A collector that kept only the message text (a traditional file format).
      const msg = r ? undefined : /audit checkpoint seq=(\d+) hash=([0-9a-f]{64})/.exec(line);
      if (msg) r = record(msg[1], msg[2], where);
    }
    if (r) out.push(r);
  });
  return out;
}

export interface TrustedKeys {
  publicKey: KeyObject;
  keyId: string;
  retiredKeys?: Map<string, KeyObject>;
}

/**
 * Compare every record of an outside copy with the event at its seq. Names each event
 * that does not match — missing here, or with another hash — and each signed checkpoint
 * of the copy that this server's keys do not verify.
 */
export function checkAgainst(rows: AuditEventRepository, source: string, records: OutsideRecord[], trusted: TrustedKeys): AgainstResult {
  const problems: VerifyProblem[] = [];
  const head = rows.maxSeq();
  let matched = 0;
  const seen = new Set<string>();
  let cutOff = false;
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if (r.signature !== undefined) {
      const key = r.keyId === trusted.keyId ? trusted.publicKey : r.keyId ? trusted.retiredKeys?.get(r.keyId) : undefined;
      if (!key) {
        problems.push({ seq: r.seq, message: `${source} ${r.where}: the checkpoint at event ${r.seq} was signed by key ${r.keyId ?? '(none named)'}, which is neither this server's signing key ${trusted.keyId} nor a retired one — the signing key was replaced without 'cusp audit new-signing-key'` });
      } else if (!r.time || !verifyCheckpoint(key, r.seq, r.hash, r.time, r.signature)) {
        problems.push({ seq: r.seq, message: `${source} ${r.where}: the checkpoint at event ${r.seq} does not verify with key ${r.keyId} — that line of the outside copy was altered` });
        continue;
      }
    }
    const stored = rows.hashAt(r.seq);
    const short = (h: string) => `${h.slice(0, 16)}…`;
    const key = `${r.seq}:${r.hash}`;
    if (stored === undefined && r.seq > head) {
      // Named once, at the first event cut off; later records beyond the end say no more.
      if (!cutOff) problems.push({ seq: head + 1, message: `event ${head + 1} is missing: ${source} (${r.where}) records event ${r.seq} with hash ${short(r.hash)}, but the log here ends at event ${head} — events ${head + 1}–${r.seq} or more were cut off` });
      cutOff = true;
    } else if (stored === undefined) {
      if (!seen.has(key)) problems.push({ seq: r.seq, message: `event ${r.seq} is recorded in ${source} (${r.where}, hash ${short(r.hash)}), but is missing here (removed from the log)` });
    } else if (stored !== r.hash) {
      if (!seen.has(key)) problems.push({ seq: r.seq, message: `event ${r.seq} differs from ${source} (${r.where}): the copy has hash ${short(r.hash)}, the log here ${short(stored)} — the log was rewritten up to event ${r.seq}` });
    } else {
      matched++;
    }
    seen.add(key);
  }
  problems.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return { source, records: records.length, matched, lastSeq: records.reduce((m, r) => Math.max(m, r.seq), 0), problems };
}
