/**
 * What an intraoral photo shows, read from its file name. Scanner galleries and clinic
 * cameras name the standard views (iTero's `gallery_#98765_penta_front_m.jpg`, a camera
 * app's `Frontal.jpg`, a German practice's `OK_okklusal.png`); a name that says nothing
 * known is `other`. Pure: a name in, a kind out.
 */

/** The standard intraoral views; `other` when the name does not say. */
export const IMAGE_KINDS = ['frontal', 'left', 'right', 'upper-occlusal', 'lower-occlusal', 'other'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

// Whole words only (the name is split at anything that is not a letter), compared
// lower-case. Several languages and vendors: English, German, French, Italian, Spanish.
const FRONTAL = new Set(['front', 'frontal', 'frontale', 'anterior', 'vorne', 'face', 'frente', 'frontalansicht', 'smile']);
const LEFT = new Set(['left', 'links', 'gauche', 'sinistra', 'sinistro', 'izquierda', 'izquierdo', 'lateralleft', 'leftlateral']);
const RIGHT = new Set(['right', 'rechts', 'droite', 'destra', 'destro', 'derecha', 'derecho', 'lateralright', 'rightlateral']);
const UPPER = new Set(['upper', 'oben', 'ok', 'oberkiefer', 'maxilla', 'maxillary', 'maxillaire', 'superior', 'sup', 'mascellare', 'top']);
const LOWER = new Set(['lower', 'unten', 'uk', 'unterkiefer', 'mandible', 'mandibular', 'mandibulaire', 'inferior', 'inf', 'mandibolare', 'bottom']);
const OCCLUSAL = new Set(['occlusal', 'okklusal', 'occlusale', 'oclusal', 'occlusion', 'aufbiss']);

/** The lower-case words of a file name (folders and extension dropped). */
function words(name: string): string[] {
  const base = name.slice(name.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  // camelCase splits too: `UpperOcclusal` → upper, occlusal.
  return base.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^\p{L}]+/u).filter((w) => w !== '');
}

/**
 * The kind of view a photo's name says, and `other` when it says none or contradicts
 * itself (`left_right.jpg`). An occlusal view names its jaw (`upper`, `oben`, `OK`); an
 * occlusal photo of an unnamed jaw is `other`, never a guess.
 */
export function kindFromName(name: string): ImageKind {
  const w = words(name);
  const has = (set: Set<string>) => w.some((x) => set.has(x));
  const found: ImageKind[] = [];
  if (has(FRONTAL)) found.push('frontal');
  if (has(LEFT)) found.push('left');
  if (has(RIGHT)) found.push('right');
  if (has(UPPER)) found.push('upper-occlusal');
  if (has(LOWER)) found.push('lower-occlusal');
  if (found.length === 1) return found[0];
  // `upper … lower` is both jaws, `left_right` both sides: neither is guessed.
  return 'other';
}

/** Whether a name says the photo is an occlusal view (for messages; the jaw decides the kind). */
export function saysOcclusal(name: string): boolean {
  return words(name).some((x) => OCCLUSAL.has(x));
}
