/**
 * Tags and notes on a scan or a visit: one vocabulary for the aligner check-in, checked
 * here and published in the OpenAPI document (each tag with its values):
 * - `tracking` — overall tracking: good | fair | poor
 * - `fit` — aligner fit: good | partial | poor | none (no aligner worn)
 * - `hygiene` — oral hygiene on 1–3: 1 good, 2 fair, 3 poor
 * - `detail` — a finding: one of DETAIL_VALUES (as many as apply)
 * - `action` — what was done or decided: one of ACTION_VALUES
 * - `note` — free text alone; every other tag may carry a note too.
 * Tags and word values are matched without regard to case and stored in lower case.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { Annotation } from '../../store/annotations.js';
import type { Store } from '../../store/store.js';

export const TRACKING_VALUES = ['good', 'fair', 'poor'] as const;
export const FIT_VALUES = ['good', 'partial', 'poor', 'none'] as const;
export const DETAIL_VALUES = [
  'attachment-lost', 'attachment-worn', 'aligner-damaged', 'aligner-not-seated', 'tooth-not-tracking', 'space-opening',
  'gingival-inflammation', 'recession', 'caries-suspected', 'decalcification', 'elastic-issue', 'pain-reported',
] as const;
export const ACTION_VALUES = [
  'continue', 'next-aligner', 'extend-wear', 'chewies', 'rebond-attachment', 'ipr', 'hygiene-instruction',
  'refinement', 'rescan', 'refer', 'none',
] as const;
export const TAGS = ['tracking', 'fit', 'hygiene', 'detail', 'action', 'note'] as const;

// Notes may hold tabs and line breaks; nothing else below U+0020.
// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const noteText = z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters').regex(NO_CONTROL, 'must not contain control characters');
const note = noteText.optional().describe('Free text, up to 4000 characters');
const oneOf = (tag: string, values: readonly [string, ...string[]]) => z.enum(values, { error: `${tag} is one of ${values.join(', ')}` });

/** The variants, one per tag; the value rules of each appear in the OpenAPI document. */
const variants = z.discriminatedUnion('tag', [
  z.strictObject({ tag: z.literal('tracking').describe('Overall tracking'), value: oneOf('tracking', TRACKING_VALUES), note }),
  z.strictObject({ tag: z.literal('fit').describe('Aligner fit (none: no aligner worn)'), value: oneOf('fit', FIT_VALUES), note }),
  z.strictObject({
    tag: z.literal('hygiene').describe('Oral hygiene: 1 good, 2 fair, 3 poor'),
    value: z.number({ error: 'hygiene is 1 (good), 2 (fair) or 3 (poor)' }).int('hygiene is 1 (good), 2 (fair) or 3 (poor)')
      .min(1, 'hygiene is 1 (good), 2 (fair) or 3 (poor)').max(3, 'hygiene is 1 (good), 2 (fair) or 3 (poor)'),
    note,
  }),
  z.strictObject({ tag: z.literal('detail').describe('A finding; add one per finding'), value: oneOf('detail', DETAIL_VALUES), note }),
  z.strictObject({ tag: z.literal('action').describe('What was done or decided'), value: oneOf('action', ACTION_VALUES), note }),
  z.strictObject({ tag: z.literal('note').describe('A note on its own (the tag may be left out)'), note: noteText }),
], { error: `tag must be one of ${TAGS.join(', ')} (a note alone needs only "note")` });

/** Lower-case the tag and word values, read "2" as 2 for hygiene, and take a bare note as a `note` tag. */
function normalise(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const a = { ...(input as Record<string, unknown>) };
  if (a.tag === undefined && a.note !== undefined && a.value === undefined) a.tag = 'note';
  if (typeof a.tag === 'string') a.tag = a.tag.trim().toLowerCase();
  if (a.tag === 'hygiene' && typeof a.value === 'string' && /^\s*\d+\s*$/.test(a.value)) a.value = Number(a.value);
  else if (typeof a.value === 'string') a.value = a.value.trim().toLowerCase();
  return a;
}

export const annotationBodySchema = z.preprocess(normalise, variants)
  .transform((a) => ({ tag: a.tag, value: 'value' in a ? String(a.value) : undefined, note: a.note })).meta({ id: 'NewAnnotation' });

/** PATCH: a new value and/or note; the tag stays (delete and add to change it). `note: null` removes a note. */
export const annotationPatchSchema = z.strictObject({
  value: z.union([z.string(), z.number()]).optional().describe('A value of the tag\'s vocabulary'),
  note: noteText.nullable().optional(),
}).refine((p) => p.value !== undefined || p.note !== undefined, 'nothing to change: give value or note');

/** Check an annotation as it would be after a PATCH against the vocabulary; the stored value and note. */
export function patchedAnnotation(current: Annotation, patch: z.output<typeof annotationPatchSchema>): { value: string | null; note: string | null } {
  const hygiene = current.tag === 'hygiene' && current.value !== null ? Number(current.value) : current.value;
  const merged: Record<string, unknown> = { tag: current.tag };
  const value = patch.value ?? hygiene;
  if (value !== null && value !== undefined) merged.value = value;
  const n = patch.note === undefined ? current.note : patch.note;
  if (n !== null) merged.note = n;
  const checked = annotationBodySchema.safeParse(merged);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${['body', ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new CuspError('invalid_input', `annotation ${current.id} (${current.tag}) would not fit its tag: ${problems.join('; ')}`, { details: { problems } });
  }
  return { value: checked.data.value ?? null, note: checked.data.note ?? null };
}

export const annotationSchema = z.object({
  id: z.number().int(),
  scan: z.string().nullable().describe('uid of the scan it is on'),
  visit: z.number().int().nullable().describe('id of the visit it is on'),
  tag: z.string().describe(`One of ${TAGS.join(', ')} (older free tags are read as they were written)`),
  value: z.string().nullable().describe('The value as text (hygiene "1"–"3"); null for a note'),
  note: z.string().nullable(),
  author: z.object({ id: z.number().int().nullable(), name: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
}).meta({ id: 'Annotation', description: 'A tag or note on a scan or visit' });
export type AnnotationDto = z.infer<typeof annotationSchema>;

export function annotationDto(store: Store, a: Annotation): AnnotationDto {
  return {
    id: a.id,
    scan: a.scanId === null ? null : store.scans.get(a.scanId)?.uid ?? null,
    visit: a.visitId,
    tag: a.tag,
    value: a.value,
    note: a.note,
    author: a.principalId === null ? { id: null, name: 'local-admin' } : { id: a.principalId, name: store.principals.get(a.principalId)?.name ?? `principal ${a.principalId}` },
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
