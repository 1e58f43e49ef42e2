// Writes the example pictures in test/fixtures/images/ that the README shows: what Cusp
// makes of the corpus's real teeth. A program, not a test (pictures.test.ts checks them):
//
//   node --import tsx test/mesh/render/make-examples.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareScans } from '../../../src/mesh/analysis/compare.js';
import { measureOcclusion } from '../../../src/mesh/analysis/occlusion.js';
import { measureThickness } from '../../../src/mesh/analysis/thickness.js';
import { renderHeatMap, renderThumbnail } from '../../../src/mesh/render/pictures.js';
import { addNoise, cut, longAxis, moved, pushPatch, randomMotion, tooth } from '../analysis/ground-truth.js';

const out = (name: string): string => fileURLToPath(new URL(`../../fixtures/images/${name}`, import.meta.url));
// Channels rounded to 6 bits (`pngColorStep`) keep each file well under 60 KB.
const size = { width: 384, height: 288, pngColorStep: 4 };

const molar = tooth('openfulljaw_P26_maxilla_tooth14_molar.stl');
writeFileSync(out('thumbnail-molar.png'), renderThumbnail(molar, { width: 192, height: 192, pngColorStep: 4 }).png);

// A new visit of the molar: moved 15° and 4 mm, a 0.3 mm bump, 10 µm noise, cut elsewhere.
const { axis, center, length } = longAxis(molar);
const old = cut(molar, axis, center, -0.1 * length).mesh;
const bump = pushPatch(cut(molar, axis, center, 0.05 * length).mesh, 100, 1.5, 0.3).mesh;
const compared = compareScans(old, moved(addNoise(bump, 0.01, 3), randomMotion(3, 15, 4, center)));
writeFileSync(out('deviation-molar.png'), renderHeatMap(compared.current, compared.distances, 'deviation', size).png);

const thickness = measureThickness(molar);
writeFileSync(out('thickness-molar.png'), renderHeatMap(molar, thickness.thickness, 'thickness', { ...size, range: [0, 4] }).png);

const bite = measureOcclusion(molar, tooth('openfulljaw_P26_mandible_tooth19_molar.stl'));
const [x, y, z] = bite.upperToLower;
writeFileSync(out('clearance-lower-molar.png'), renderHeatMap(bite.lowerMesh, bite.lower.clearance, 'clearance', { ...size, lookFrom: [-x, -y, -z] }).png);
