// jawFromText: the scanner and clinic words for jaws, in English and German, in any case.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jawFromText } from '../../src/rules/index.js';

const CASES: Array<[string, ReturnType<typeof jawFromText>]> = [
  ['UpperJaw', 'upper'], ['upper', 'upper'], ['MAXILLA', 'upper'], ['maxillary', 'upper'], ['Maxillary_arch', 'upper'],
  ['OK', 'upper'], ['Oberkiefer', 'upper'], ['scan_OK_final', 'upper'], ['case-upperjaw-situ', 'upper'], ['UPPER_ARCH', 'upper'],
  ['LowerJaw', 'lower'], ['lower', 'lower'], ['mandible', 'lower'], ['Mandibular', 'lower'], ['UK', 'lower'], ['unterkiefer', 'lower'],
  ['123_shell_occlusion_u', 'upper'], ['123_shell_occlusion_l', 'lower'], ['Antag_UK', 'lower'], ['Antagonist OK', 'upper'],
  ['bite', 'bite'], ['bite0', 'bite'], ['case-bite1', 'bite'], ['Occlusion', 'bite'], ['BuccalBite', 'bite'], ['Bissregistrat', 'bite'],
  ['Antag', 'other'], ['antagonist', 'other'], ['AntagonistScan', 'other'], ['Gegenkiefer', 'other'],
  ['upper_lower', 'other'], ['Oberkiefer und Unterkiefer', 'other'],
  ['scan', undefined], ['', undefined], ['Uwe_Lux', undefined], ['u_scan', undefined], ['lupus', undefined], ['Ukraine', undefined],
];

describe('jawFromText', () => {
  for (const [text, jaw] of CASES) {
    test(`'${text}' → ${jaw ?? 'nothing'}`, () => assert.equal(jawFromText(text), jaw));
  }
});
