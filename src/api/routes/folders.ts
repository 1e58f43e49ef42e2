/**
 * Watched folders (admin only): list, add, pause, resume, remove, rescan; the quarantine of
 * a folder with the reason for each file; and a tester that runs a filename rule over
 * sample names, so a rule can be tried before it is saved.
 */
import { z } from 'zod';
import { CuspError, isCuspError } from '../../errors.js';
import type { FolderManager } from '../../ingest/folder-manager.js';
import { quarantineOwner } from '../../ingest/quarantine-owner.js';
import { listQuarantine, removeQuarantined, retryQuarantined } from '../../ingest/quarantine.js';
import { compileRule, identifyScan } from '../../rules/index.js';
import { checkRuleRegex } from '../../rules/regex-guard.js';
import { route } from '../route.js';
import {
  addFolderSchema, folderDto, folderParams, folderSchema, quarantinedSchema, testRuleResultSchema, testRuleSchema,
} from '../schemas/folder.js';
import type { ApiServices } from '../services.js';

const ADMIN = ['admin'] as const;

/** The answer of every folder route in a process that watches no folders. */
const NOT_WATCHING = 'Folder watching is not running in this process';

/** The quarantined files a retry or a removal names. */
const quarantineFilesBody = z.strictObject({
  files: z.array(z.string().min(1).max(1024)).min(1).max(1000).describe('Paths inside the quarantine folder, as GET /folders/{name}/quarantine lists them'),
}).meta({ id: 'QuarantinedFiles' });

/** A rule's CuspError as the answer about `body.rule`. */
function asBodyRule(err: unknown): never {
  if (isCuspError(err)) throw new CuspError('invalid_input', `body.rule: ${err.message}`);
  throw err;
}

export function folderRoutes(s: ApiServices) {
  const manager = (): FolderManager => {
    if (!s.folders) throw new CuspError('unavailable', 'folder watching is not running in this process');
    return s.folders;
  };
  const find = (name: string) => {
    const folder = manager().get(name);
    if (!folder) throw new CuspError('not_found', `no watched folder named ${name}`);
    return folder;
  };
  return [
    route({
      method: 'GET', path: '/folders', tag: 'folders', access: ADMIN, summary: 'The watched folders with their state',
      answers: { 503: NOT_WATCHING },
      response: z.object({ folders: z.array(folderSchema) }),
      handler: () => ({ folders: manager().list().map(folderDto) }),
    }),
    route({
      method: 'POST', path: '/folders', tag: 'folders', access: ADMIN, summary: 'Watch another folder (kept across restarts)', status: 201,
      answers: { 409: 'A folder of that name is watched already, or the path overlaps a watched folder', 503: NOT_WATCHING },
      body: addFolderSchema, response: folderSchema,
      auditedBy: 'the folder manager (ingest/folder-manager.ts): folder.add with the stored folder',
      handler: async ({ body, principal, source }) => {
        // A catastrophic regex would freeze ingest (and the API with it) on every file.
        if (typeof body.rule === 'string') await checkRuleRegex(body.rule).catch(asBodyRule);
        return folderDto(await manager().add(body, principal.actor, source));
      },
    }),
    route({
      method: 'POST', path: '/folders/test-rule', tag: 'folders', access: ADMIN, summary: 'Try a filename rule on sample file names before saving it',
      body: testRuleSchema, response: testRuleResultSchema,
      auditedBy: 'no one: trying a rule on sample names stores nothing',
      handler: async ({ body }) => {
        let rule;
        try {
          rule = compileRule(body.rule);
        } catch (err) {
          asBodyRule(err);
        }
        // Matching on this thread only once a worker showed it finishes on these names (and
        // on probes that make backtracking regexes explode) within 200 ms.
        await checkRuleRegex(body.rule, body.names.map((n) => n.replace(/\\/g, '/'))).catch(asBodyRule);
        return {
          rule: rule.name,
          results: body.names.map((name) => ({ name, ...identifyScan({ relativePath: name.replace(/\\/g, '/'), rule, layout: body.layout }) })),
        };
      },
    }),
    route({
      method: 'POST', path: '/folders/rescan', tag: 'folders', access: ADMIN, summary: 'Walk every folder now (files the watcher may have missed)',
      answers: { 503: NOT_WATCHING },
      response: z.object({ files: z.number().int() }),
      audits: 'folder.rescan',
      handler: async ({ record }) => {
        const files = await manager().rescanAll();
        record({ audit: { action: 'folder.rescan', object: null, details: { files } } });
        return { files };
      },
    }),
    route({
      method: 'POST', path: '/folders/:name/pause', tag: 'folders', access: ADMIN, summary: 'Pause a folder: its files stay where they are until it resumes',
      answers: { 503: NOT_WATCHING },
      params: folderParams, response: folderSchema,
      auditedBy: 'the folder manager (ingest/folder-manager.ts): folder.pause with the stored state',
      handler: ({ params, principal, source }) => folderDto(manager().setPaused(find(params.name).name, true, principal.actor, source)),
    }),
    route({
      method: 'POST', path: '/folders/:name/resume', tag: 'folders', access: ADMIN, summary: 'Resume a paused folder',
      answers: { 503: NOT_WATCHING },
      params: folderParams, response: folderSchema,
      auditedBy: 'the folder manager (ingest/folder-manager.ts): folder.resume with the stored state',
      handler: ({ params, principal, source }) => folderDto(manager().setPaused(find(params.name).name, false, principal.actor, source)),
    }),
    route({
      method: 'DELETE', path: '/folders/:name', tag: 'folders', access: ADMIN, summary: 'Stop watching a folder added through the API (its files are left alone)',
      answers: { 409: 'The folder comes from the config file: remove it there', 503: NOT_WATCHING },
      params: folderParams, status: 204,
      auditedBy: 'the folder manager (ingest/folder-manager.ts): folder.remove with the stored folder',
      handler: async ({ params, principal, source }) => {
        await manager().remove(find(params.name).name, principal.actor, source);
        return undefined;
      },
    }),
    route({
      method: 'GET', path: '/folders/:name/quarantine', tag: 'folders', access: ADMIN, summary: 'Files of a folder Cusp could not take in, with the reason for each',
      answers: { 503: NOT_WATCHING },
      params: folderParams, response: z.object({ folder: z.string(), dir: z.string(), files: z.array(quarantinedSchema) }),
      handler: ({ params }) => {
        const folder = find(params.name);
        const dir = folder.settings.quarantineDir!;
        const rule = { rule: folder.settings.rule, layout: folder.settings.layout };
        return { folder: folder.name, dir, files: listQuarantine(dir).map((f) => ({ ...f, owner: quarantineOwner(s.store, rule, f.arrivedAs) })) };
      },
      // File names in a quarantine often carry patient names: reading them is audited.
      audit: ({ params }, result) => ({ action: 'folder.quarantine.list', object: `folder:${params.name}`, details: { files: result.files.length } }),
    }),
    route({
      method: 'POST', path: '/folders/:name/quarantine/retry', tag: 'folders', access: ADMIN,
      answers: { 503: NOT_WATCHING },
      summary: 'Send quarantined files back through ingest (after the cause was fixed): each goes back where it arrived, with the files moved with it; one that fails again is quarantined again with the new reason',
      params: folderParams, body: quarantineFilesBody,
      response: z.object({ retried: z.array(z.object({ file: z.string(), to: z.string().describe('Where it went back to, inside the drop folder'), with: z.array(z.string()) })) }),
      // Files move on disk, no stored data changes: the event is recorded once they have moved.
      audits: 'folder.quarantine.retry',
      handler: async ({ params, body, record }) => {
        const folder = find(params.name);
        const retried = await retryQuarantined(folder.path, folder.settings.quarantineDir!, body.files);
        record({ audit: { action: 'folder.quarantine.retry', object: `folder:${params.name}`, details: { files: retried.length } } });
        return { retried };
      },
    }),
    route({
      method: 'POST', path: '/folders/:name/quarantine/remove', tag: 'folders', access: ADMIN,
      answers: { 503: NOT_WATCHING },
      summary: 'Delete quarantined files and their notes for good (their bytes were never stored)',
      params: folderParams, body: quarantineFilesBody, response: z.object({ removed: z.number().int() }),
      audits: 'folder.quarantine.remove',
      handler: async ({ params, body, record }) => {
        const folder = find(params.name);
        const removed = await removeQuarantined(folder.settings.quarantineDir!, body.files);
        record({ audit: { action: 'folder.quarantine.remove', object: `folder:${params.name}`, details: { files: removed } } });
        return { removed };
      },
    }),
  ];
}
