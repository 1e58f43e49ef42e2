/**
 * Redaction of free text: the rules that apply to every string that reaches a log line —
 * messages, metadata values, error messages and stacks.
 *
 * The rules, in the order they run (earlier rules hide text the later ones would only
 * partly match):
 * 1. PEM private key blocks → `[private key]`.
 * 2. Registered secrets (the database key, issued tokens, the admin password) → `[redacted]`,
 *    as exact substrings anywhere.
 * 3. PHI values seen in the same log entry (a `lastName` field's value, say) → `[redacted]`,
 *    case-insensitively, so the name cannot leak through the message or an error text.
 * 4. Credentials by shape: `Bearer …`/`Basic …`, secret URL parameters (`?token=…`),
 *    `password=…`-style pairs, Cusp tokens (`cusp_` + base64url), SQLCipher raw-key
 *    literals (`x'…'`), hex strings of 64 or more digits (raw keys — log a short hash prefix
 *    instead of a full SHA-256).
 * 5. Scan file names: the base name of any path ending in a scanner-export extension
 *    (`.stl`, `.ply`, `.obj`, `.zip`, `.dentalProject`, …) → `[file]`, because exports are
 *    named after the patient; below a registered scan folder the whole relative part goes,
 *    because `patient-subfolder` layouts put the name in a folder. A name with spaces is
 *    only caught whole when it is quoted — log the scan id instead.
 * 6. Dates (YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY and their variants) → `[date]`: a birth date
 *    or visit date is PHI. The line's own timestamp is added after redaction.
 */

/** What one redaction pass hides besides the fixed patterns. */
export interface TextRules {
  /** Registered secrets, longest first (so a secret that contains another goes whole). */
  secrets: string[];
  /** PHI values (from the entry being logged, and remembered ones), as case-insensitive patterns. */
  phi: RegExp[];
  /** Watched scan folders, without trailing slash. */
  scanDirs: string[];
}

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_SECRET_PARAM = /([?&;](?:access_token|token|key|api_key|apikey|password|passwd|secret|sig|signature|auth)=)[^&#\s'"]+/gi;
const SECRET_PAIR = /(\b(?:password|passwd|passphrase|secret|token|api[_-]?key|pragma key)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi;
const CUSP_TOKEN = /cusp_[A-Za-z0-9_-]{20,}/g;
const SQLCIPHER_LITERAL = /(?<![A-Za-z0-9_])[xX]'[^']*'/g;
const LONG_HEX = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{64,}(?![0-9A-Fa-f])/g;

const SCAN_EXT = 'stl|ply|obj|mtl|gltf|glb|3mf|off|zip|dentalproject|constructioninfo|xml|3oxz|dcm|dxd|pts|jpe?g|png';
const TEMP_EXT = '(?:\\.(?:part|tmp|partial|crdownload))?';
const QUOTED_FILE = new RegExp(`(['"\`])([^'"\`\\n]*?\\.(?:${SCAN_EXT})${TEMP_EXT})\\1`, 'gi');
const BARE_FILE = new RegExp(`(?:[^\\s'"\`<>()\\[\\]{},;=|]*[\\\\/])?[^\\s'"\`<>()\\[\\]{},;=|/\\\\]+\\.(?:${SCAN_EXT})${TEMP_EXT}(?![A-Za-z0-9])`, 'gi');

const YEAR = '(?:1[89]|20)\\d{2}';
const MONTH = '(?:0?[1-9]|1[0-2])';
const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const DATES = [
  new RegExp(`(?<!\\d)${YEAR}([-/.])${MONTH}\\1${DAY}(?!\\d)`, 'g'),
  new RegExp(`(?<!\\d)${DAY}([-.])${MONTH}\\1${YEAR}(?!\\d)`, 'g'),
  new RegExp(`(?<!\\d)${DAY}/${DAY}/${YEAR}(?!\\d)`, 'g'),
];

/** Hides the part of `path` that can carry a patient's name: the base name, or everything below a scan folder. */
export function hidePathName(path: string, scanDirs: readonly string[]): string {
  for (const dir of scanDirs) {
    if (path.startsWith(`${dir}/`) && path.length > dir.length + 1) return `${dir}/[file]`;
  }
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut === path.length - 1) return path;
  return `${path.slice(0, cut + 1)}[file]`;
}

/**
 * Applies rules 1–6 to one string. `keepFileNames` skips rule 5 for a value the caller
 * marked safe; every other rule still applies.
 */
export function redactText(text: string, rules: TextRules, keepFileNames = false): string {
  let out = text.replace(PEM_PRIVATE, '[private key]');
  for (const secret of rules.secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of rules.phi) out = out.replace(pattern, '[redacted]');
  out = out
    .replace(AUTH_SCHEME, '$1 [redacted]')
    .replace(URL_SECRET_PARAM, '$1[redacted]')
    .replace(SECRET_PAIR, '$1[redacted]')
    .replace(CUSP_TOKEN, '[token]')
    .replace(SQLCIPHER_LITERAL, "x'[key]'")
    .replace(LONG_HEX, '[key]');
  if (!keepFileNames) {
    out = out
      .replace(QUOTED_FILE, (_m, quote: string, name: string) => `${quote}${hidePathName(name, rules.scanDirs)}${quote}`)
      .replace(BARE_FILE, (name) => hidePathName(name, rules.scanDirs));
  }
  for (const date of DATES) out = out.replace(date, '[date]');
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One case-insensitive pattern for the PHI values of an entry; undefined when there are none. */
export function phiPattern(values: Iterable<string>): RegExp | undefined {
  const parts = [...new Set([...values].map((v) => v.trim()).filter((v) => v.length >= 2))];
  if (parts.length === 0) return undefined;
  parts.sort((a, b) => b.length - a.length);
  // Values of four or more characters go wherever they appear ("SmithJohn.stl"); shorter
  // ones only between non-letters, so "Li" does not eat the "li" of "failed".
  const long = parts.filter((p) => p.length >= 4).map(escapeRegExp);
  const short = parts.filter((p) => p.length < 4).map(escapeRegExp);
  const alternatives = [...(long.length > 0 ? [long.join('|')] : []), ...(short.length > 0 ? [`(?<![\\p{L}\\p{N}])(?:${short.join('|')})(?![\\p{L}\\p{N}])`] : [])];
  return new RegExp(alternatives.join('|'), 'giu');
}
