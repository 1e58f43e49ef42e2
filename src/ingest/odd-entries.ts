/**
 * What a drop folder holds besides regular files with sane names, and what the watcher does
 * with it. A symbolic link (to a file or a folder) is never followed — following one stored
 * a file from outside the drop folder and then deleted it — and a FIFO, socket or device is
 * never opened (a FIFO would block a read for ever); each is skipped with one warn line that
 * names the folder but not the file, and reported once so the daemon can record a change. A
 * name that is not valid UTF-8 is given a safe one (see `giveSafeName`).
 */
import { createHash } from 'node:crypto';
import { link, lstat, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/index.js';
import { relativePosix, type OddEntry, type SkippedKind } from './folder-files.js';

/** A short, stable reference to a file for logs: never its name (scan names carry patient names). */
export function fileRef(relativePath: string): string {
  return `file#${createHash('sha256').update(relativePath).digest('hex').slice(0, 10)}`;
}

/**
 * The safe name for a name that is not valid UTF-8: every byte outside printable ASCII, and
 * '%' itself, as %XX. Reversible (the original bytes can be read back from it), so the
 * clinic can still see which export it was.
 */
export function safeName(name: Buffer): string {
  let out = '';
  for (const b of name) out += b >= 0x20 && b < 0x7f && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const WHAT: Record<SkippedKind, string> = {
  symlink: 'a symbolic link',
  fifo: 'a FIFO (named pipe)',
  socket: 'a socket',
  device: 'a device node',
  other: 'a special file',
};

export interface OddEntriesOptions {
  root: string;
  /** The folder's name, for log lines. */
  name: string;
  log: Logger;
  onSkipped?: (relativePath: string, kind: SkippedKind) => void;
  /** A file got a safe name: look at the folder again. */
  onRenamed: () => void;
}

/** Skips special entries once each and renames undecodable names; see the file comment. */
export class OddEntries {
  /** Special entries already logged, so a FIFO is not reported on every event. */
  private readonly skipped = new Set<string>();

  constructor(private readonly opts: OddEntriesOptions) {}

  /** One entry the walk handed over. */
  handle(odd: OddEntry): void {
    if (odd.kind) this.skip(join(odd.dir, odd.name.toString('utf8')), odd.kind);
    else void this.giveSafeName(odd);
  }

  /** The entry at `abs` went away: a new one there is reported again. */
  forget(abs: string): void {
    this.skipped.delete(abs);
  }

  /** Logs and reports a special entry once (a link is never followed, a FIFO never opened). */
  skip(abs: string, kind: SkippedKind): void {
    const { root, name, log } = this.opts;
    if (this.skipped.has(abs)) return;
    const rel = relativePosix(root, abs);
    if (rel === undefined) return;
    this.skipped.add(abs);
    log.warn(`${WHAT[kind]} in folder "${name}" is skipped: Cusp takes only regular files and never follows links out of a drop folder (${fileRef(rel)})`, { folder: name, kind });
    try {
      this.opts.onSkipped?.(rel, kind);
    } catch (err) {
      log.error(`recording a skipped entry in folder "${name}" failed: ${String(err)}`, { folder: name });
    }
  }

  /**
   * A name that is not valid UTF-8 (a scanner PC writing Latin-1 names onto a share) cannot
   * be handled by Node by its name at all. Rather than quarantining a good scan (a quarantine
   * would need a person to rename and re-drop it), it is renamed in place to its
   * percent-escaped bytes and taken like any other file: the bytes are untouched and the name
   * stays readable and reversible. A file gets a hard link under the new name, then loses the
   * old one, so nothing is ever overwritten; an open writer keeps writing the same inode, and
   * the writer check still sees it. A folder is renamed when the new name is free.
   */
  private async giveSafeName(odd: OddEntry): Promise<void> {
    const { root, name: folder, log } = this.opts;
    const from = Buffer.concat([Buffer.from(odd.dir + '/'), odd.name]);
    const base = safeName(odd.name);
    for (let n = 0; n < 100; n++) {
      const name = n === 0 ? base : base.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
      const to = join(odd.dir, name);
      const rel = relativePosix(root, to) ?? name;
      try {
        await link(from, to);
        await unlink(from).catch(() => undefined);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code === 'ENOENT') return; // gone meanwhile
        if (code === 'EPERM' && (await lstat(from).catch(() => undefined))?.isDirectory()) {
          if (await lstat(to).catch(() => undefined)) continue;
          try {
            await rename(from, to);
          } catch (renameErr) {
            log.warn(`a folder in folder "${folder}" has a name that is not valid UTF-8 and could not be given a safe one (${(renameErr as NodeJS.ErrnoException).code ?? String(renameErr)}) — rename it by hand (${fileRef(rel)})`, { folder });
            return;
          }
        } else {
          log.warn(`a file in folder "${folder}" has a name that is not valid UTF-8 and could not be given a safe one (${code ?? String(err)}) — rename it by hand (${fileRef(rel)})`, { folder });
          return;
        }
      }
      log.warn(`a file in folder "${folder}" had a name that is not valid UTF-8: renamed to its percent-escaped bytes so it can be taken (${fileRef(rel)})`, { folder });
      this.opts.onRenamed();
      return;
    }
  }
}
