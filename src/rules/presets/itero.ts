/**
 * iTero / OrthoCAD exports: `OrthoCAD_Export_<order>/<order>_shell_occlusion_u.stl` (and `_l`,
 * `…_teethup_u`, `…_lprofile_occlusion_l.ply`). The order id is all that identifies the
 * order (not the person: every visit is a new order), so it becomes the scan's case id and
 * order id {system: 'itero-order'}; the patient's name comes from the export's manifest and Rx page.
 */
import { jawFromText } from '../jaw-words.js';
import type { CompiledRule, RuleMatch, ScanPath } from '../types.js';

/** `<order>_<kind words>_<u|l>[_<suffix>]`, e.g. 76392642_shell_occlusion_u. */
const FILE = /^(?<orderId>\d{5,12})_(?<kind>[a-z]+(?:_[a-z]+)*?)_(?<jaw>[ul])(?:_[a-z\d]+)?$/i;
/** `OrthoCAD_Export_<order>`, `iTero_Export_<order>`, with a browser's ' (4)' duplicate suffix, as a folder or a zip. */
const FOLDER = /^(?:OrthoCAD|iTero)[ _-]?Export[ _-](?<orderId>\d{5,12})(?:\s*\(\d+\))?(?:\.zip)?$/i;

function matchItero(path: ScanPath): RuleMatch | undefined {
  const file = path.stem.match(FILE);
  const folder = path.dirs.at(-1)?.match(FOLDER);
  const orderId = file?.groups?.orderId ?? folder?.groups?.orderId;
  if (!orderId) return undefined;
  const jaw = file?.groups ? (file.groups.jaw.toLowerCase() === 'u' ? 'upper' : 'lower') : jawFromText(path.stem);
  return { rule: 'itero', scanner: 'itero', fields: { orderId }, jaw };
}

export const ITERO: CompiledRule = { name: 'itero', match: matchItero };
