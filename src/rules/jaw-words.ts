/**
 * The words scanners and people use for jaws, in several tools and languages, mapped to
 * Cusp's four jaws.
 */
import type { Jaw, ScanPath } from './types.js';

type Kind = 'upper' | 'lower' | 'bite' | 'antagonist';

/** Whole words (after splitting CamelCase and digits), lower-cased. */
const WORDS: Record<string, Kind> = {
  upper: 'upper', upperjaw: 'upper', maxilla: 'upper', maxillary: 'upper', maxillar: 'upper', maxillaire: 'upper',
  ok: 'upper', oberkiefer: 'upper', superior: 'upper', superiore: 'upper',
  lower: 'lower', lowerjaw: 'lower', mandible: 'lower', mandibular: 'lower', mandibula: 'lower', mandibulaire: 'lower',
  uk: 'lower', unterkiefer: 'lower', inferior: 'lower', inferiore: 'lower',
  bite: 'bite', occlusion: 'bite', occlusal: 'bite', biss: 'bite', bissregistrat: 'bite', bissregistrierung: 'bite',
  bitescan: 'bite', buccal: 'bite', bukkal: 'bite', registration: 'bite', interocclusal: 'bite',
  antag: 'antagonist', antagonist: 'antagonist', antagonistscan: 'antagonist', gegenkiefer: 'antagonist', opposing: 'antagonist',
};

/** Prefixes that mark a jaw inside a longer word: 'upperjawscan', 'maxillaryarch', 'bite0'. */
const PREFIXES: Array<[string, Kind]> = [
  ['upperjaw', 'upper'], ['lowerjaw', 'lower'], ['maxill', 'upper'], ['mandib', 'lower'],
  ['oberkiefer', 'upper'], ['unterkiefer', 'lower'], ['antagonist', 'antagonist'], ['bissregist', 'bite'],
  ['bitescan', 'bite'], ['occlusion', 'bite'],
];

/** Splits text into lower-case words at separators, CamelCase humps and letter/digit changes. */
function words(text: string): string[] {
  return text
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .split(/[^\p{L}\d]+/u)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

function kindOf(word: string): Kind | undefined {
  const whole = WORDS[word];
  if (whole) return whole;
  for (const [prefix, kind] of PREFIXES) if (word.startsWith(prefix)) return kind;
  return undefined;
}

/**
 * The jaw a piece of text names, or undefined when it names none. A jaw word wins over a
 * bite or antagonist word in the same text (iTero's `…_shell_occlusion_u` is the upper jaw
 * in occlusion, 'Antag_UK' the lower antagonist); both jaws at once is 'other'. The single
 * letters `u`/`l` (iTero) count only as the text's last word, where iTero puts them.
 */
export function jawFromText(text: string): Jaw | undefined {
  const found = new Set<Kind>();
  const list = words(text);
  list.forEach((word, i) => {
    const kind = kindOf(word) ?? (i === list.length - 1 && (word === 'u' || word === 'l') ? (word === 'u' ? 'upper' : 'lower') : undefined);
    if (kind) found.add(kind);
  });
  if (found.has('upper') && found.has('lower')) return 'other';
  if (found.has('upper')) return 'upper';
  if (found.has('lower')) return 'lower';
  if (found.has('bite')) return 'bite';
  if (found.has('antagonist')) return 'other';
  return undefined;
}

/** The jaw named by a file's stem, else by its nearest folder that names one. */
export function jawFromPath(path: ScanPath): Jaw | undefined {
  for (const text of [path.stem, ...[...path.dirs].reverse()]) {
    const jaw = jawFromText(text);
    if (jaw) return jaw;
  }
  return undefined;
}
