/** The API's watched-folder resource, its quarantine and the filename-rule tester. */
import { z } from 'zod';
import { evidenceSchema } from './identity.js';
import type { FolderInfo } from '../../ingest/folder-manager.js';

/** A folder's name as it appears in paths: one plain segment, never `.`/`..` or a separator. */
export const folderNameSchema = z.string().min(1).max(100)
  .regex(/^[^/\\\u0000-\u001f]+$/, 'must be a plain folder name without slashes') // eslint-disable-line no-control-regex
  .refine((n) => n !== '.' && n !== '..', 'must be a plain folder name');

export const folderParams = z.strictObject({ name: folderNameSchema });

const absolutePath = z.string().min(1).max(4096).regex(/^\//, 'must be an absolute path');

/** What an administrator may set when adding a folder (the config file's folder keys). */
export const addFolderSchema = z.strictObject({
  path: absolutePath,
  name: folderNameSchema.optional(),
  rule: z.string().min(1).max(500).optional(),
  layout: z.enum(['flat', 'patient-subfolder']).optional(),
  after: z.enum(['delete', 'archive', 'keep']).optional(),
  archiveDir: absolutePath.optional(),
  quarantineDir: absolutePath.optional(),
  polling: z.boolean().optional(),
  pollIntervalSeconds: z.number().positive().max(3600).optional(),
  stabilitySeconds: z.number().positive().max(3600).optional(),
  rescanMinutes: z.number().positive().max(10080).optional(),
  paused: z.boolean().optional(),
});

export const folderSchema = z.object({
  name: z.string(),
  path: z.string(),
  origin: z.enum(['config', 'runtime']).describe('config: from the config file (remove it there); runtime: added through the API'),
  state: z.string().describe('starting, watching, polling, paused, missing or error'),
  message: z.string().nullable(),
  rule: z.string(),
  layout: z.string(),
  after: z.string(),
  archiveDir: z.string().nullable(),
  quarantineDir: z.string(),
  polling: z.boolean(),
  paused: z.boolean(),
  stabilitySeconds: z.number(),
  rescanMinutes: z.number(),
}).meta({ id: 'Folder', description: 'A watched drop folder with its settings and state' });
export type FolderDto = z.infer<typeof folderSchema>;

export function folderDto(f: FolderInfo): FolderDto {
  const s = f.settings;
  return {
    name: f.name, path: f.path, origin: f.origin, state: f.state, message: f.message ?? null, rule: s.rule, layout: s.layout, after: s.after,
    archiveDir: s.archiveDir ?? null, quarantineDir: s.quarantineDir!, polling: s.polling, paused: s.paused, stabilitySeconds: s.stabilitySeconds, rescanMinutes: s.rescanMinutes,
  };
}

export const quarantinedSchema = z.object({
  file: z.string().describe('Path inside the quarantine folder'),
  size: z.number().int(),
  quarantinedAt: z.string(),
  reason: z.string().nullable().describe('Why Cusp could not take the file in (from its .reason.txt)'),
  arrivedAs: z.string().describe('Where it lay in the drop folder'),
  owner: z.object({
    lastName: z.string().nullable(), firstName: z.string().nullable(), birthDate: z.string().nullable(),
    patient: z.string().nullable().describe('The pseudonymous id of the one record the name points to'),
    records: z.number().int().describe('How many records the name fits: 0 none yet, more than 1 goes to identity review'),
  }).nullable().describe("Whose the file may be, read from its name with the folder's rule; null when the name names no one"),
}).meta({ id: 'QuarantinedFile' });
export type QuarantinedDto = z.infer<typeof quarantinedSchema>;

/** A path inside a watched folder as a scanner writes it: relative, no `..`, no NUL. */
const relativeName = z.string().min(1).max(1024)
  .regex(/^[^\u0000]+$/, 'must not contain NUL') // eslint-disable-line no-control-regex
  .refine((n) => !n.startsWith('/') && !n.split(/[/\\]/).includes('..'), 'must be a path inside the folder (no leading / and no ..)');

export const testRuleSchema = z.strictObject({
  rule: z.string().min(1).max(500).describe('A preset (generic, auto, trios, medit, itero, primescan), a pattern like {lastName}_{firstName}_{date}_{jaw}, or re:<regex>'),
  layout: z.enum(['flat', 'patient-subfolder']).default('flat'),
  names: z.array(relativeName).min(1).max(500).describe('File paths as the scanner writes them into the folder'),
});

export const identitySchema = z.object({
  patient: z.object({
    lastName: z.string().optional(),
    firstName: z.string().optional(),
    birthDate: z.string().optional(),
    externalId: z.object({ system: z.string(), value: z.string() }).optional(),
    orderId: z.object({ system: z.string(), value: z.string() }).optional().describe("A scanner order (iTero): the same order is the same patient, but it is not the person's id"),
  }).nullable(),
  jaw: z.string(),
  capturedAt: z.string().nullable(),
  scanner: z.string().nullable(),
  rule: z.string(),
  caseId: z.string().optional(),
}).meta({ id: 'ScanIdentity' });

export const testRuleResultSchema = z.object({
  rule: z.string(),
  results: z.array(z.object({ name: z.string(), identity: identitySchema, warnings: z.array(z.string()), evidence: evidenceSchema.describe('Every field found, with its source') })),
});
