/**
 * Filename rules: which patient and jaw a scanner's file belongs to. Pure code — the ingest
 * service reads files and sidecars and calls identifyScan with their contents. It sits
 * below ingest (it was ingest/rules/) because the config check, the store's identity
 * queue, the API and the photo service use it too: none of them may import ingest.
 */
export type { CompiledRule, IdentityConflict, IdentityEvidence, Jaw, PatientHint, ScanIdentity, Scanner, SourceKind, SourceSaid } from './types.js';
export { SOURCES } from './types.js';
export { cachedRule, compileRule } from './compile.js';
export { identifyScan, type IdentifyInput } from './identify.js';
export { SOURCE_LABELS, compareNames, nameText } from './fuse.js';
export { parseIteroManifest, isIteroManifest } from './itero-manifest.js';
export { parseRxHtml } from './rx-html.js';
export { jawFromText } from './jaw-words.js';
export { parseDentalProject } from './dental-project.js';
export { PRESETS } from './presets/index.js';
