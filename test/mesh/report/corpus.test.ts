// The report against the corpus's independent ground truth (MANIFEST.json: Open3D 0.16.1
// after merging exact duplicate vertices, plus numpy edge counts on the same arrays), for
// every file that should be accepted. Counts must agree exactly, area and volumes to 1e-5
// relative. Each place where the tools' conventions differ from ours is handled below and
// says why.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { readMesh } from '../../../src/mesh/read/index.js';
import { inspectMesh, type MeshReport } from '../../../src/mesh/report/index.js';
import { corpusPath, hasCorpus } from '../../helpers/corpus.js';

interface Value {
  value: unknown;
  tool: string;
}
interface Entry {
  file: string;
  expected: {
    parse: string | null;
    values?: Record<string, Value & { min?: number[]; max?: number[] }>;
    by_tool?: { open3d?: Record<string, unknown> };
  };
}

const manifest: { files: Entry[] } | null = hasCorpus() ? JSON.parse(readFileSync(corpusPath('MANIFEST.json'), 'utf8')) : null;
const ACCEPT = new Set(['accept', 'accept_if_draco_supported', 'accept_if_meshopt_supported', 'accept_or_reject', 'accept_or_clear_reject']);

/** Ground-truth name → how to read the same fact from our report. */
const FIELDS: Record<string, (r: MeshReport) => unknown> = {
  triangle_count: (r) => r.triangles,
  // Open3D counts every stored vertex, we count the ones triangles use; in the corpus they
  // are the same (its OBJ reader drops unused vertices, and no other file has any).
  vertex_count_merged: (r) => r.vertices,
  // Open3D's is_watertight also demands vertex-manifold and no self-intersection; ours is
  // "closed and edge-manifold", the other two are reported separately.
  is_watertight: (r) => r.watertight && r.vertexManifold && r.selfIntersecting === false,
  is_edge_manifold: (r) => r.edgeManifold,
  is_vertex_manifold: (r) => r.vertexManifold,
  // Same neighbour rule as Open3D: pairs sharing a (merged) vertex are not tested.
  is_self_intersecting: (r) => r.selfIntersecting,
  connected_components: (r) => r.components.count,
  surface_area: (r) => r.area,
  volume: (r) => r.volume,
  signed_volume: (r) => r.signedVolume,
  degenerate_triangles: (r) => r.degenerateTriangles,
  duplicate_triangles: (r) => r.duplicateTriangles,
  boundary_edges: (r) => r.boundaryEdges,
  edges_shared_by_3plus: (r) => r.nonManifoldEdges,
  consistently_oriented: (r) => r.windingConsistent,
  interior_edges_with_inconsistent_winding: (r) => r.inconsistentEdges,
};

/** Per-file differences of convention, each with its reason. */
const EXCEPTIONS: Record<string, { skip?: string[]; tolerance?: number; bbox?: (min: number[], max: number[]) => [number[], number[]] }> = {
  // Two of Suzanne's quads are not planar; Open3D splits them along the other diagonal
  // (both are valid: the quads are convex), which moves the area by 1e-4 relative.
  'ply/suzanne.ply': { tolerance: 2e-4 },
  // The truck's wheel mesh is used by two nodes. Open3D (through assimp) reads each mesh
  // once and ignores node transforms; we place every instance as the scene does, as the
  // glTF spec says. The triangle count is checked against the header's scene walk
  // (gltf_triangles_scene_instanced) instead; sizes, counts of pieces and vertices differ
  // by the extra instance and are not comparable.
  'gltf/CesiumMilkTruck.glb': {
    skip: ['triangle_count', 'vertex_count_merged', 'connected_components', 'surface_area', 'signed_volume', 'bbox'],
  },
  // Its root node turns the building -90° about X. Open3D ignores node transforms; we apply
  // them, so our box is Open3D's turned the same way: (x, y, z) -> (x, z, -y).
  'gltf/no_indices_3storybuilding.glb': {
    bbox: (min, max) => [
      [min[0], min[2], -max[1]],
      [max[0], max[2], -min[1]],
    ],
  },
};

for (const entry of manifest?.files ?? []) {
  const values = entry.expected.values;
  if (!entry.expected.parse || !ACCEPT.has(entry.expected.parse) || !values || Object.keys(values).length === 0) continue;
  test(`${entry.file} agrees with the ground truth`, async () => {
    const path = corpusPath(entry.file);
    const read = await readMesh({
      bytes: readFileSync(path),
      name: basename(path),
      resolve: (uri) => {
        try {
          return readFileSync(join(dirname(path), decodeURIComponent(uri)));
        } catch {
          return undefined;
        }
      },
    });
    const report = inspectMesh(read.mesh, { profile: 'scan' });
    const exception = EXCEPTIONS[entry.file] ?? {};
    const raw = entry.expected.by_tool?.open3d ?? {};
    let compared = 0;

    for (const [name, field] of Object.entries(FIELDS)) {
      if (!(name in values) || exception.skip?.includes(name)) continue;
      // The rounded figures in `values` lose digits on small models: use Open3D's raw output.
      // Except where the manifest says there is no volume: Open3D's get_volume still returns
      // one for a closed block with a flipped facet (50.85 instead of 56), a wrong figure we
      // do not give either.
      const rawName = { surface_area: 'surface_area', volume: 'volume', signed_volume: 'signed_volume_numpy' }[name as 'volume'];
      const useRaw: boolean = rawName !== undefined && typeof raw[rawName] === 'number' && values[name].value !== null;
      const expected: unknown = useRaw && rawName ? raw[rawName] : values[name].value;
      const actual = field(report);
      if (name === 'surface_area' || name.includes('volume')) {
        if (expected === null) {
          assert.equal(actual, null, name);
        } else {
          const tolerance = exception.tolerance ?? 1e-5;
          assert.ok(Math.abs((actual as number) - (expected as number)) <= tolerance * Math.max(1, Math.abs(expected as number)), `${name}: expected ${expected}, got ${actual}`);
        }
      } else {
        assert.equal(actual, expected, name);
      }
      compared++;
    }

    if (values.gltf_triangles_scene_instanced) {
      assert.equal(report.triangles, values.gltf_triangles_scene_instanced.value, 'triangles as placed in the scene');
      compared++;
    }

    const box = values.bbox;
    if (box?.min && box.max && !exception.skip?.includes('bbox')) {
      const rawMin = (raw.bbox_min as number[] | undefined) ?? box.min;
      const rawMax = (raw.bbox_max as number[] | undefined) ?? box.max;
      const [min, max] = exception.bbox ? exception.bbox(rawMin, rawMax) : [rawMin, rawMax];
      for (let k = 0; k < 3; k++) {
        assert.ok(Math.abs(report.bbox.min[k] - min[k]) <= 1e-5 * Math.max(1, Math.abs(min[k])), `bbox.min[${k}]: expected ${min[k]}, got ${report.bbox.min[k]}`);
        assert.ok(Math.abs(report.bbox.max[k] - max[k]) <= 1e-5 * Math.max(1, Math.abs(max[k])), `bbox.max[${k}]: expected ${max[k]}, got ${report.bbox.max[k]}`);
      }
      compared++;
    }
    assert.ok(compared > 0, 'compared at least one value');
  });
}

test('the real teeth pass as printable solids and as scans; the spider fails with reasons', { skip: !manifest && 'no corpus' }, async () => {
  for (const file of ['dental/openfulljaw_P26_mandible_tooth19_molar.stl', 'dental/derived_tooth24_big_endian.ply']) {
    const read = await readMesh({ bytes: readFileSync(corpusPath(file)), name: basename(file) });
    for (const profile of ['scan', 'solid'] as const) {
      const r = inspectMesh(read.mesh, { profile });
      assert.equal(r.verdict, 'ok', `${file} as ${profile}: ${JSON.stringify(r.issues)}`);
      assert.equal(r.units.guess, 'mm');
    }
  }
  const spider = await readMesh({ bytes: readFileSync(corpusPath('stl/Spider_binary.stl')), name: 'Spider_binary.stl' });
  const r = inspectMesh(spider.mesh, { profile: 'solid' });
  assert.equal(r.verdict, 'fail');
  const codes = r.issues.map((i) => i.code);
  for (const code of ['not_watertight', 'non_manifold_edges', 'self_intersections', 'flipped_triangles', 'degenerate_triangles', 'duplicate_triangles']) {
    assert.ok(codes.includes(code), code);
  }
});
