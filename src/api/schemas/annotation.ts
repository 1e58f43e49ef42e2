/**
 * Tags and notes on a scan or a visit. Free tags, plus the aligner check-in tags whose
 * value is a score: `tracking`, `fit`, `hygiene` take 0–5 or ok | watch | act.
 */
import { z } from 'zod';
import type { Annotation } from '../../store/annotations.js';
import type { Store } from '../../store/store.js';

export const CHECK_IN_TAGS = ['tracking', 'fit', 'hygiene'] as const;
const CHECK_IN_WORDS = ['ok', 'watch', 'act'];

const isCheckIn = (tag: string) => (CHECK_IN_TAGS as readonly string[]).includes(tag);

// Notes may hold tabs and line breaks; nothing else below U+0020.
// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

export const annotationBodySchema = z.strictObject({
  tag: z.string().trim().toLowerCase()
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.:/+-]{0,63}$/u, 'must be 1 to 64 letters, digits, spaces or _ . : / + -, starting with a letter or digit'),
  value: z.union([z.number(), z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')]).optional(),
  note: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters').regex(NO_CONTROL, 'must not contain control characters').optional(),
}).superRefine((a, ctx) => {
  if (!isCheckIn(a.tag)) {
    if (typeof a.value === 'string' && !NO_CONTROL.test(a.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'must not contain control characters' });
    return;
  }
  const v = typeof a.value === 'string' ? a.value.toLowerCase() : a.value;
  const ok = typeof v === 'number' ? Number.isInteger(v) && v >= 0 && v <= 5 : v !== undefined && (/^[0-5]$/.test(v) || CHECK_IN_WORDS.includes(v));
  if (!ok) ctx.addIssue({ code: 'custom', path: ['value'], message: `${a.tag} needs a score: a whole number 0 to 5, or ok, watch or act` });
}).transform((a) => ({ ...a, value: a.value === undefined ? undefined : isCheckIn(a.tag) ? String(a.value).toLowerCase() : String(a.value) }));

export const annotationSchema = z.object({
  id: z.number().int(),
  scan: z.string().nullable().describe('uid of the scan it is on'),
  visit: z.number().int().nullable().describe('id of the visit it is on'),
  tag: z.string(),
  value: z.string().nullable(),
  note: z.string().nullable(),
  author: z.object({ id: z.number().int().nullable(), name: z.string() }),
  createdAt: z.string(),
});
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
  };
}
