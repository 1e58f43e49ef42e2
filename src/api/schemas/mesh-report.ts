/**
 * The validation report as the API serves it under a scan's `reports.validation`: the JSON
 * of `inspectMesh` (src/mesh/report/types.ts, whose field names are a stable interface).
 * Documented here so clients — the review page among them — can rely on its fields.
 */
import { z } from 'zod';
import { MAX_DRAWN_PAIRS } from '../../mesh/report/index.js';

const point = z.array(z.number()).length(3);
const triangle = z.array(z.number()).length(9).describe('The three corners x0, y0, z0, x1, y1, z1, x2, y2, z2 in model units');

export const meshReportSchema = z.object({
  triangles: z.number().int(),
  vertices: z.number().int().describe('Vertices used by triangles, after exact welding'),
  bbox: z.object({ min: point, max: point }).describe('Bounding box of the vertices used by triangles, model units'),
  area: z.number().describe('Surface area, square model units'),
  volume: z.number().nullable().describe('Enclosed volume; null unless the mesh is watertight and consistently wound'),
  signedVolume: z.number(),
  components: z.object({ count: z.number().int(), sizes: z.array(z.number().int()) }).describe('Pieces joined by shared edges; sizes in triangles, largest first, at most 100 listed'),
  boundaryEdges: z.number().int(),
  boundaryLoops: z.object({ count: z.number().int(), lengths: z.array(z.number()) }),
  holes: z.object({ count: z.number().int(), lengths: z.array(z.number()) }).describe('Boundary loops beyond the outer border of each piece, longest first'),
  nonManifoldEdges: z.number().int(),
  nonManifoldVertices: z.number().int(),
  degenerateTriangles: z.number().int(),
  duplicateTriangles: z.number().int(),
  watertight: z.boolean(),
  edgeManifold: z.boolean(),
  vertexManifold: z.boolean(),
  windingConsistent: z.boolean(),
  inconsistentEdges: z.number().int(),
  inwardFacing: z.boolean(),
  selfIntersecting: z.boolean().nullable().describe('null when the check was skipped'),
  selfIntersectingPairs: z.number().int().nullable().describe('Pairs of non-neighbouring triangles that cross or touch; null when the check was skipped'),
  selfIntersectingFaces: z.array(z.object({ a: triangle, b: triangle })).max(MAX_DRAWN_PAIRS)
    .describe(`Where the surface crosses itself: the first ${MAX_DRAWN_PAIRS} intersecting pairs at most, each as both triangles' corners (reports made before this field was added lack it)`)
    .optional(),
  units: z.object({ guess: z.enum(['mm', 'cm', 'm', 'inch', 'unknown']), reason: z.string() }),
  profile: z.enum(['scan', 'solid']),
  verdict: z.enum(['ok', 'warn', 'fail']),
  issues: z.array(z.object({ code: z.string(), severity: z.enum(['warn', 'fail']), message: z.string() })),
}).meta({ id: 'MeshReport', description: 'The validation report of a mesh: topology, measurements and self-intersections, judged for a profile' });
