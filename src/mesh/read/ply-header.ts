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

/** Parse the header of a PLY file; `name` is used in messages. */
export function readPlyHeader(bytes: Uint8Array, name: string): PlyHeader {
  const bad = (line: number, what: string): never => {
    throw meshRejected('ply', 'syntax', `${name}: header line ${line}: ${what} — the PLY header is malformed; export the scan again`);
  };
  let p = 0;
  let lineNo = 0;
  let encoding: PlyEncoding | undefined;
  const elements: PlyElement[] = [];
  while (true) {
    if (p >= bytes.length) {
      throw meshRejected('ply', bytes.length === 0 ? 'empty' : 'truncated', `${name}: the PLY header has no 'end_header' line — the file is cut short or not a PLY; export the scan again`);
    }
    let q = p;
    while (q < bytes.length && bytes[q] !== 10 && bytes[q] !== 13) q++;
    lineNo++;
    // A binary file that merely starts with "ply" must not become one huge string.
    if (q - p > MAX_HEADER_LINE) bad(lineNo, `a header line longer than ${MAX_HEADER_LINE} bytes (no 'end_header' before binary data?)`);
    const words = latin1(bytes, p, q).trim().split(/[ \t]+/);
    // Line end: LF, CRLF or a lone CR.
    if (bytes[q] === 13) q++;
    if (bytes[q] === 10) q++;
    p = q;
    const key = words[0];
    if (lineNo === 1) {
      if (key !== 'ply' || words.length !== 1) bad(1, "the file does not start with 'ply'");
      continue;
    }
    if (key === '' || key === 'comment' || key === 'obj_info') continue;
    if (key === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
        bad(lineNo, `unknown format '${words[1] ?? ''}'`);
      }
      encoding = words[1] as PlyEncoding;
    } else if (key === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !Number.isInteger(count) || count < 0 || count > 0xffffffff) {
        bad(lineNo, `'${words.join(' ')}' is not 'element <name> <count>'`);
      }
      elements.push({ name: words[1], count, properties: [] });
    } else if (key === 'property') {
      const element = elements[elements.length - 1];
      if (!element) bad(lineNo, 'a property comes before any element');
      if (words[1] === 'list') {
        const countType = TYPE_NAMES[words[2]];
        const type = TYPE_NAMES[words[3]];
        if (words.length !== 5 || !countType || !type) bad(lineNo, `'${words.join(' ')}' is not 'property list <count-type> <item-type> <name>'`);
        if (countType === 'float32' || countType === 'float64') bad(lineNo, 'a list length must have an integer type');
        element.properties.push({ name: words[4], type, countType });
      } else {
        const type = TYPE_NAMES[words[1]];
        if (words.length !== 3 || !type) bad(lineNo, `'${words.join(' ')}' is not 'property <type> <name>'`);
        element.properties.push({ name: words[2], type });
      }
    } else if (key === 'end_header') {
      break;
    } else {
      bad(lineNo, `unknown keyword '${key.slice(0, 40)}'`);
    }
  }
  if (!encoding) bad(lineNo, "no 'format' line");
  return { encoding: encoding as PlyEncoding, elements, bodyStart: p };
}
