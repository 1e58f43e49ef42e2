import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULE_PRESETS, ruleProblem } from '../../src/config/index.js';

describe('folder rule syntax', () => {
  it('accepts the presets, placeholder patterns and regexes with named groups', () => {
    for (const preset of RULE_PRESETS) assert.equal(ruleProblem(preset), undefined);
    assert.equal(ruleProblem('{lastName}_{firstName}_{date}_{jaw}'), undefined);
    assert.equal(ruleProblem('OrthoCAD_Export_{orderId}/{orderId}_shell_occlusion_{jaw}'), undefined);
    assert.equal(ruleProblem('re:^(?<orderId>\\d+)_shell_occlusion_(?<jaw>[ul])\\.(stl|ply)$'), undefined);
  });

  it('says what is wrong with a rule it cannot use', () => {
    assert.equal(ruleProblem('Trios'), 'is neither a preset (generic, trios, medit, itero, primescan) nor a pattern with {placeholders} nor re:<regex>');
    assert.equal(ruleProblem('{lastName}_{jaw'), "has an unmatched '{': placeholders look like {lastName}");
    assert.equal(ruleProblem('re:^(\\d+)_(u|l)$'), 'has no named groups: name what each part is, e.g. (?<lastName>[^_]+)');
    assert.match(ruleProblem('re:(?<jaw>[ul]') ?? '', /^is not a valid regular expression: /);
  });
});
