/** The rules Cusp ships, by the name a folder's `rule` setting uses. */
import type { CompiledRule } from '../types.js';
import { AUTO, GENERIC } from './generic.js';
import { ITERO } from './itero.js';
import { MEDIT } from './medit.js';
import { PRIMESCAN } from './primescan.js';
import { TRIOS } from './trios.js';

export const PRESETS: Record<string, CompiledRule> = {
  generic: GENERIC,
  auto: AUTO,
  trios: TRIOS,
  medit: MEDIT,
  itero: ITERO,
  primescan: PRIMESCAN,
};
