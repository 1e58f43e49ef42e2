import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULE_PRESETS, ruleProblem } from '../../src/config/index.js';

test('ruleProblem accepts every preset, patterns and regexes that ingest can run', () => {
  assert.deepEqual([...RULE_PRESETS].sort(), ['auto', 'generic', 'itero', 'medit', 'primescan', 'trios']);
  for (const preset of RULE_PRESETS) assert.equal(ruleProblem(preset), undefined);
  assert.equal(ruleProblem('{lastName}_{firstName}_{date}_{jaw}'), undefined);
  assert.equal(ruleProblem('OrthoCAD_Export_{orderId}/{any}_shell_occlusion_{jaw}'), undefined);
  assert.equal(ruleProblem('re:^(?<orderId>\\d+)_shell_occlusion_(?<jaw>[ul])\\.(stl|ply)$'), undefined);
});

test('ruleProblem names what is wrong with a broken rule, in the words ingest uses', () => {
  assert.match(ruleProblem('Tries') ?? '', /filename rule 'Tries' is not a known preset \(.*trios.*\), nor a pattern with \{fields\}, nor re:<regex>/);
  assert.match(ruleProblem('{lastName}_{jaw') ?? '', /\{/);
  assert.match(ruleProblem('{lastName}_{shoeSize}') ?? '', /shoeSize/);
  assert.match(ruleProblem('re:(?<jaw>[ul]') ?? '', /regular expression|regex/i);
  assert.match(ruleProblem('re:^(\\d+)_(u|l)$') ?? '', /named group/i);
});
