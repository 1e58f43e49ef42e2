// The view of a photo, read from its name: vendors' and clinics' names in several languages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindFromName } from '../../src/images/kind.js';

test('the standard views are read from iTero gallery names and common names in several languages', () => {
  const cases: Array<[string, string]> = [
    ['gallery_#98765_penta_front_m.jpg', 'frontal'],
    ['gallery_#98765_penta_left_m.jpg', 'left'],
    ['gallery_#98765_penta_right_m.jpg', 'right'],
    ['gallery_#98765_penta_upper_m.jpg', 'upper-occlusal'],
    ['gallery_#98765_penta_lower_m.jpg', 'lower-occlusal'],
    ['Frontal.JPG', 'frontal'],
    ['Meier_Anna/2026-12-02/OK_okklusal.png', 'upper-occlusal'],
    ['unten-okklusal.heic', 'lower-occlusal'],
    ['oben.jpg', 'upper-occlusal'],
    ['lateral_links.jpeg', 'left'],
    ['vue_droite.jpg', 'right'],
    ['UpperOcclusal.png', 'upper-occlusal'],
    ['mandibular_occlusal.jpg', 'lower-occlusal'],
  ];
  for (const [name, kind] of cases) assert.equal(kindFromName(name), kind, name);
});

test('a name that says nothing known, or contradicts itself, is other — never a guess', () => {
  for (const name of ['gallery_#98765.jpg', 'IMG_0042.JPG', 'occlusal.jpg', 'left_right.jpg', 'upper_lower.png', 'logo.png', 'Leftover.jpg']) {
    assert.equal(kindFromName(name), 'other', name);
  }
});
