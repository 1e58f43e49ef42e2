/**
 * How an API route is declared: method, path, who may call it, the schemas of its input
 * and output, what it records in the audit trail, and a thin handler. One declaration
 * feeds the router, the role table (tested route × role), and the OpenAPI document.
 *
 * Reads and writes record differently. A read (GET) declares `audit`, the event mount.ts
 * appends once the handler answered (reads change no data). A write records its fact —
 * audit event, changes, bus events — itself through `input.record`, inside the transaction
 * that changes the data, so the change and its audit event are stored together or not at
 * all; it declares the actions it records in `audits` (mount.ts checks a successful call
 * recorded one), or in `auditedBy` the part that records them for it.
 */
import type { Context } from 'koa';
import type { z } from 'zod';
import type { AuditEvent, AuditInput } from '../audit/event.js';
import type { Fact } from '../events/record.js';
import type { Role } from '../store/principals.js';
import type { ApiPrincipal } from './auth.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: roles, or 'public' (no token; health, signed downloads). */
export type Access = readonly Role[] | 'public';

export interface HandlerInput<P, Q, B> {
  ctx: Context;
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  principal: ApiPrincipal;
  /** The caller's address ('local' for the admin socket). */
  source: string;
  /**
   * Record a fact of this call (events/record.ts `record`), its audit event by the caller
   * from where they called: in the caller's transaction when there is one — a write calls
   * it inside the `store.transaction` that changes the data. Returns the stored audit event.
   */
  record: (fact: ApiFact) => AuditEvent | undefined;
}

/** An audit event of a call, without who made it and from where (the call knows). */
export type CallAuditInput = Omit<AuditInput, 'actor' | 'source'>;

/** A fact an API call records: `actor` and `source` of its audit event come from the call. */
export type ApiFact = Omit<Fact, 'audit'> & { audit?: CallAuditInput };

/**
 * A JSON response serialized already — a listing's rows come out of SQLite as JSON — sent
 * as it is. It must be what the route's response schema describes (a test compares it
 * with the JSON of the objects). `items`: how many records it holds, for the audit event.
 */
export class JsonText {
  constructor(readonly text: string, readonly items: number) {}
}

/**
 * A route that takes a file's raw bytes as its body (no JSON): the media types it accepts
 * and the setting that bounds its size — for the OpenAPI document, whose 413 and 415
 * answers come from it. The handler enforces both.
 */
export interface RawUpload {
  /** Accepted Content-Types; `model/*` ranges allowed. */
  mediaTypes: readonly string[];
  /** What the body is. */
  description: string;
  /** The configuration key (or size) that bounds it, named in the 413 answer. */
  limit: string;
  /** Request headers it reads, name → what to send (e.g. the file's name). */
  headers?: Record<string, string>;
}

/** HTTP statuses a route may document beyond what its declaration implies. */
export type AnswerStatus = 200 | 201 | 202 | 204 | 400 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 503;

/** `Out`: what the handler returns — the response's objects (R), or their JSON as JsonText. */
export interface RouteSpec<P = any, Q = any, B = any, R = any, Out extends R | JsonText = R> { // eslint-disable-line @typescript-eslint/no-explicit-any
  method: Method;
  /** Below /api/v1, koa-router syntax: `/scans/:uid`. */
  path: string;
  summary: string;
  /** More than the summary says, for the OpenAPI document (optional). */
  description?: string;
  /** OpenAPI tag: the resource. */
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The largest JSON body accepted (default 1 MiB). */
  bodyLimit?: string;
  /** The raw file body a route takes instead of JSON (uploads). */
  upload?: RawUpload;
  /** Schema of a JSON response (omit for files and streams). */
  response?: z.ZodType<R>;
  /** Media type of a non-JSON response, for the OpenAPI document. */
  produces?: string;
  /** Status on success (default 200). */
  status?: number;
  /**
   * Answers the declaration does not imply, status → when it is given: a 409 or 422, or a
   * second success status set by the handler (a 2xx here replaces the documented `status`).
   * 400, 401, 403, 404, 413, 415 and 429 are derived (openapi.ts, `derivedAnswers`).
   */
  answers?: Partial<Record<AnswerStatus, string>>;
  /**
   * Reads (GET) only: the audit event for a successful call, from its input and result —
   * required for every read of patient data (pseudonymous object ids only). mount.ts
   * appends it after the handler (audit.appendRead). Writes record through `input.record`.
   */
  audit?: (input: HandlerInput<P, Q, B>, result: Out) => CallAuditInput | undefined;
  /**
   * Writes: the audit action(s) the handler records through `input.record`, in the
   * transaction of its change. mount.ts checks that every successful call recorded one of
   * them (and nothing else): a write that records nothing is an error, not a silent gap.
   */
  audits?: string | readonly string[];
  /**
   * Writes whose audit events another part writes in its own transaction (the erasure, the
   * folder manager, sessions, backups…), or which change nothing: which part, or why not.
   * Every write declares `audits` or `auditedBy` (test/api/write-audit.test.ts).
   */
  auditedBy?: string;
  handler: (input: HandlerInput<P, Q, B>) => Promise<Out> | Out;
}

/** Declare a route with its types inferred from its schemas. */
export function route<P, Q, B, R, Out extends R | JsonText = R>(spec: RouteSpec<P, Q, B, R, Out>): RouteSpec<P, Q, B, R, Out> {
  return spec;
}

export const ALL_ROLES: readonly Role[] = ['admin', 'clinician', 'integration', 'auditor'];
/** Roles that work with patient data. */
export const CLINICAL: readonly Role[] = ['admin', 'clinician', 'integration'];
