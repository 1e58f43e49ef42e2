/**
 * The PLY header: `ply`, `format <ascii|binary_little_endian|binary_big_endian> 1.0`,
 * then `element <name> <count>` each followed by its `property <type> <name>` or
 * `property list <count-type> <item-type> <name>` lines, up to `end_header`. Lines may end
 * in LF, CRLF or CR; `comment` and `obj_info` lines are skipped.
 */
import { meshRejected } from './rejection.js';
import { latin1 } from './text-scanner.js';

export type PlyScalar = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
export type PlyEncoding = 'ascii' | 'binary_little_endian' | 'binary_big_endian';

export interface PlyProperty {
  name: string;
  /** The value type, or the item type of a list. */
  type: PlyScalar;
  /** For a list property, the type of its length prefix. */
  countType?: PlyScalar;
}

export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

export interface PlyHeader {
  encoding: PlyEncoding;
  elements: PlyElement[];
  /** Offset of the first body byte. */
  bodyStart: number;
}

const TYPE_NAMES: Record<string, PlyScalar> = {
  char: 'int8', int8: 'int8', uchar: 'uint8', uint8: 'uint8',
  short: 'int16', int16: 'int16', ushort: 'uint16', uint16: 'uint16',
  int: 'int32', int32: 'int32', uint: 'uint32', uint32: 'uint32',
  float: 'float32', float32: 'float32', double: 'float64', float64: 'float64',
};

const MAX_HEADER_LINE = 4096;

/** Bytes per value of each scalar type. */
export const PLY_SIZE: Record<PlyScalar, number> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8,
};

/** What the header has said so far, as its lines are read. */
interface HeaderState {
  encoding: PlyEncoding | undefined;
  elements: PlyElement[];
}

/** Reject line `line` of the header, saying `what` is wrong with it. */
type Bad = (line: number, what: string) => never;

/** One keyword's line: check its words and add what they say to `state`. */
type KeywordLine = (words: string[], state: HeaderState, bad: (what: string) => never) => void;

const SKIPPED = (): void => undefined;

// A table, not an if-chain: each keyword's checks stay beside its name.
const KEYWORDS: Record<string, KeywordLine> = {
  '': SKIPPED,
  comment: SKIPPED,
  obj_info: SKIPPED,
  format(words, state, bad) {
    if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
      bad(`unknown format '${words[1] ?? ''}'`);
    }
    state.encoding = words[1] as PlyEncoding;
  },
  element(words, state, bad) {
    const count = Number(words[2]);
    if (words.length !== 3 || !Number.isInteger(count) || count < 0 || count > 0xffffffff) {
      bad(`'${words.join(' ')}' is not 'element <name> <count>'`);
    }
    state.elements.push({ name: words[1], count, properties: [] });
  },
  property(words, state, bad) {
    const element = state.elements[state.elements.length - 1];
    if (!element) bad('a property comes before any element');
    if (words[1] === 'list') {
      const countType = TYPE_NAMES[words[2]];
      const type = TYPE_NAMES[words[3]];
      if (words.length !== 5 || !countType || !type) bad(`'${words.join(' ')}' is not 'property list <count-type> <item-type> <name>'`);
      if (countType === 'float32' || countType === 'float64') bad('a list length must have an integer type');
      element.properties.push({ name: words[4], type, countType });
    } else {
      const type = TYPE_NAMES[words[1]];
      if (words.length !== 3 || !type) bad(`'${words.join(' ')}' is not 'property <type> <name>'`);
      element.properties.push({ name: words[2], type });
    }
  },
};

/**
 * The words of the header line that starts at byte `p`, and where the next line starts.
 * Line ends: LF, CRLF or a lone CR.
 */
function headerLine(bytes: Uint8Array, p: number, lineNo: number, bad: Bad): { words: string[]; next: number } {
  let q = p;
  while (q < bytes.length && bytes[q] !== 10 && bytes[q] !== 13) q++;
  // A binary file that merely starts with "ply" must not become one huge string.
  if (q - p > MAX_HEADER_LINE) bad(lineNo, `a header line longer than ${MAX_HEADER_LINE} bytes (no 'end_header' before binary data?)`);
  const words = latin1(bytes, p, q).trim().split(/[ \t]+/);
  if (bytes[q] === 13) q++;
  if (bytes[q] === 10) q++;
  return { words, next: q };
}

/** Parse the header of a PLY file; `name` is used in messages. */
export function readPlyHeader(bytes: Uint8Array, name: string): PlyHeader {
  const bad: Bad = (line, what) => {
    throw meshRejected('ply', 'syntax', `${name}: header line ${line}: ${what} — the PLY header is malformed; export the scan again`);
  };
  let p = 0;
  let lineNo = 0;
  const state: HeaderState = { encoding: undefined, elements: [] };
  while (true) {
    if (p >= bytes.length) {
      throw meshRejected('ply', bytes.length === 0 ? 'empty' : 'truncated', `${name}: the PLY header has no 'end_header' line — the file is cut short or not a PLY; export the scan again`);
    }
    lineNo++;
    const { words, next } = headerLine(bytes, p, lineNo, bad);
    p = next;
    const key = words[0];
    if (lineNo === 1) {
      if (key !== 'ply' || words.length !== 1) bad(1, "the file does not start with 'ply'");
      continue;
    }
    if (key === 'end_header') break;
    const line = Object.hasOwn(KEYWORDS, key) ? KEYWORDS[key] : undefined;
    if (!line) bad(lineNo, `unknown keyword '${key.slice(0, 40)}'`);
    line(words, state, (what) => bad(lineNo, what));
  }
  if (!state.encoding) bad(lineNo, "no 'format' line");
  return { encoding: state.encoding, elements: state.elements, bodyStart: p };
}
