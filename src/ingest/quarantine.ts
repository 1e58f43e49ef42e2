/**
 * A folder's quarantine, for the person who fixes what was wrong: list the files with their
 * reasons, send files back through ingest (after a rule, a permission or an export was
 * fixed), or remove them for good.
 *
 * A quarantined file lies at `<quarantineDir>/<its path in the drop folder>` (or `name (2)…`
 * when that was taken) beside a `.reason.txt` note naming its original path and the files
 * moved with it. Retry moves the file and those files back to where they arrived — by rename,
 * or across disks by a copy checked byte for byte before the quarantined copy goes — and the
 * watcher takes them in as new arrivals, under every rule of ingest (a file that fails again
 * is quarantined again, with the new reason). Only then is the note removed. Removal deletes
 * the file and its note, and nothing else.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { CuspError } from '../errors.js';
import { below, moveFile } from './file-moves.js';

export const REASON_SUFFIX = '.reason.txt';
/** A quarantine is for a handful of broken files; past this many, the listing stops. */
const QUARANTINE_LIST_MAX = 1000;

/** A file in a quarantine folder, as listed. */
export interface QuarantinedFile {
  /** Path inside the quarantine folder, POSIX separators. */
  file: string;
  size: number;
  quarantinedAt: string;
  /** Why Cusp could not take it in (the note's Reason line), null without a note. */
  reason: string | null;
  /** Where it lay in the drop folder (the note's File line; else its path here). */
  arrivedAs: string;
}

/** The files in a quarantine folder (not their notes), newest first, with the reason from each note. */
export function listQuarantine(dir: string): QuarantinedFile[] {
  const out: QuarantinedFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (out.length >= QUARANTINE_LIST_MAX) return;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith(REASON_SUFFIX)) {
        const st = statSync(path);
        const file = relative(dir, path).split(sep).join('/');
        out.push({ file, size: st.size, quarantinedAt: st.mtime.toISOString(), reason: noteField(path, 'Reason'), arrivedAs: noteField(path, 'File') ?? file });
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort((a, b) => (a.quarantinedAt < b.quarantinedAt ? 1 : -1));
}

/** A `Field: value` line of the note beside a quarantined file, or null. */
function noteField(path: string, field: string): string | null {
  const note = `${path}${REASON_SUFFIX}`;
  if (!existsSync(note)) return null;
  return new RegExp(`^${field}: (.*)$`, 'm').exec(readFileSync(note, 'utf8'))?.[1] ?? null;
}

/** The quarantined file `file` (a path inside `quarantineDir`), refused when it is not one. */
function quarantined(quarantineDir: string, file: string): string {
  let path: string;
  try {
    path = below(quarantineDir, file);
  } catch {
    throw new CuspError('invalid_input', `${file} is not a path inside the quarantine (no .. and no leading /)`);
  }
  if (file.endsWith(REASON_SUFFIX)) throw new CuspError('invalid_input', `${file} is a note, not a quarantined file — name the file it belongs to`);
  if (!existsSync(path) || !statSync(path).isFile()) throw new CuspError('not_found', `${file} is not in the quarantine (already retried or removed?)`);
  return path;
}

/** What a retry did with one file. */
export interface RetryResult {
  file: string;
  /** Where it went back to, relative to the drop folder. */
  to: string;
  /** Files moved back with it (those the scan named), relative to the drop folder. */
  with: string[];
}

/**
 * Move quarantined `files` back into the drop folder `folderPath` where they arrived (or a
 * free name beside it), with the files moved with each; their notes go once they are back.
 * All names are checked before any file moves.
 */
export async function retryQuarantined(folderPath: string, quarantineDir: string, files: string[]): Promise<RetryResult[]> {
  const paths = files.map((f) => quarantined(quarantineDir, f));
  const results: RetryResult[] = [];
  for (const [i, path] of paths.entries()) {
    const original = noteField(path, 'File') ?? files[i];
    const movedWith = (noteField(path, 'Moved with it \\(files the scan names\\)') ?? '').split(', ').filter(Boolean);
    const to = await moveFile(path, safeBelow(folderPath, original, files[i]));
    const back: string[] = [];
    for (const name of movedWith) {
      const sibling = join(dirname(path), ...name.split('/'));
      if (!existsSync(sibling)) continue;
      const rel = relative(quarantineDir, sibling).split(sep).join('/');
      back.push(relative(folderPath, await moveFile(sibling, safeBelow(folderPath, rel, rel))).split(sep).join('/'));
    }
    await rm(`${path}${REASON_SUFFIX}`, { force: true });
    results.push({ file: files[i], to: relative(folderPath, to).split(sep).join('/'), with: back });
  }
  return results;
}

/** `<dir>/<relative>`, or `<dir>/<fallback>` when the note's path would leave the folder. */
function safeBelow(dir: string, relativePath: string, fallback: string): string {
  try {
    return below(dir, relativePath);
  } catch {
    return below(dir, fallback);
  }
}

/** Delete quarantined `files` and their notes for good; all names are checked first. */
export async function removeQuarantined(quarantineDir: string, files: string[]): Promise<number> {
  const paths = files.map((f) => quarantined(quarantineDir, f));
  for (const path of paths) {
    await rm(path);
    await rm(`${path}${REASON_SUFFIX}`, { force: true });
  }
  return paths.length;
}
