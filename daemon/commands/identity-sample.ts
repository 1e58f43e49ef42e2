/**
 * `cusp config check --try PATH`: what a folder's rule makes of a sample path — every field
 * found with the source it came from, what each source said, conflicts and warnings. A path
 * that exists is read with everything around it (manifest, Rx page, .dentalProject, sidecar,
 * the file's time), as ingest would read it; nothing is stored or moved.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CuspConfig, FolderConfig } from '../../src/config/index.js';
import { CuspError } from '../../src/errors.js';
import { SOURCE_LABELS, compileRule, identifyScan, type IdentityEvidence } from '../../src/rules/index.js';
import { readExportSources } from '../../src/ingest/scan-context.js';

/** The folder a sample belongs to: named, else the one whose path holds it. */
function folderFor(config: CuspConfig, sample: string, name: string | undefined): { folder: FolderConfig; relativePath: string } {
  const folders = config.folders ?? [];
  if (name !== undefined) {
    const folder = folders.find((f) => f.name === name);
    if (!folder) throw new CuspError('invalid_input', `--folder ${name}: no such folder in the config (${folders.map((f) => f.name).join(', ') || 'none'})`);
    const abs = isAbsolute(sample) ? sample : resolve(folder.path, sample);
    const rel = relative(folder.path, abs);
    return { folder, relativePath: rel.startsWith('..') ? sample : rel };
  }
  const abs = resolve(sample);
  for (const folder of folders) {
    const rel = relative(folder.path, abs);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return { folder, relativePath: rel };
  }
  throw new CuspError('invalid_input', `--try ${sample}: the path is in no watched folder — give the folder with --folder NAME`);
}

export interface SampleResult {
  folder: string;
  rule: string;
  layout: string;
  relativePath: string;
  /** Whether the file was there to be read with its sources. */
  read: boolean;
  evidence: IdentityEvidence;
}

/** What the folder's rule and the sample's sources say about it. */
export function trySample(config: CuspConfig, sample: string, folderName?: string): SampleResult {
  const { folder, relativePath } = folderFor(config, sample, folderName);
  const path = resolve(folder.path, relativePath);
  const st = statSync(path, { throwIfNoEntry: false });
  const sources = st?.isFile() ? readExportSources(folder.path, path) : {};
  const { evidence } = identifyScan({
    relativePath: relativePath.split(sep).join('/'), rule: compileRule(folder.rule), layout: folder.layout, ...sources,
    ...(st?.isFile() ? { mtimeMs: st.mtimeMs } : {}),
  });
  return { folder: folder.name!, rule: folder.rule, layout: folder.layout, relativePath, read: Boolean(st?.isFile()), evidence };
}

/** The result as lines for a person. */
export function describeSample(r: SampleResult): string {
  const lines = [`sample ${r.relativePath} in folder ${r.folder} (rule ${r.rule}, layout ${r.layout})${r.read ? '' : ' — not on disk: from its names only'}`];
  const fields = Object.entries(r.evidence.fields);
  if (fields.length === 0) lines.push('  nothing found: the scan would be stored unassigned');
  for (const [field, fact] of fields) lines.push(`  ${field.padEnd(11)} ${fact!.value.padEnd(30)} from the ${SOURCE_LABELS[fact!.source]}`);
  lines.push('  what each source said, most trusted first:');
  for (const s of r.evidence.said) {
    const { source, ...said } = s;
    lines.push(`    ${SOURCE_LABELS[source].padEnd(15)} ${Object.entries(said).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
  }
  for (const c of r.evidence.conflicts) {
    lines.push(`  conflict on ${c.field}: ${c.values.map((v) => `the ${SOURCE_LABELS[v.source]} says "${v.value}"`).join(', ')} — the scan would wait in identity review`);
  }
  for (const w of r.evidence.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
