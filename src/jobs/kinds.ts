/**
 * The job kinds: for each, what its worker is handed (options), what it posts back (result)
 * and which `*.worker.js` runs it. Handlers, workers and callers of `runOnce` take their
 * types from here — never from a worker entry file (a worker file is a program, not a
 * library) and never as `Record<string, unknown>` cast on arrival.
 *
 * Adding a kind: its options and result below, a line in JobKinds and in JOB_WORKERS, a
 * `workers/<name>.worker.ts` calling `runWorker<'<kind>'>`, and (for queued kinds) a handler.
 */
import type { ImageMediaType } from '../images/media.js';
import type { PhotoMeasures } from '../images/measure.js';
import type { MeshFormat } from '../mesh/mesh.js';
import type { MeshReport, Profile } from '../mesh/report/index.js';
import type { Jaw } from '../store/scans.js';
import type { AnalysisResult } from './artifact-result.js';

/** `validate`: read the scan strictly and inspect it. */
export interface ValidateOptions {
  profile: Profile;
}

export interface ValidateResult {
  format: string;
  variant: string;
  warnings: string[];
  report: MeshReport;
}

/** `derive`: thumbnail and decimated preview. */
export interface DeriveOptions {
  /** Triangles of the preview at most (default 100 000). */
  previewTriangles?: number;
  /** Largest geometric error the preview may add, mm (default 0.05). */
  previewErrorMm?: number;
}

/** `compare`: the deviation from the patient's previous scan of the same jaw (`inputs.previous`). */
export interface CompareOptions {
  previousUid: string;
  /** False: the scans are compared where they lie, without registration. */
  register?: boolean;
}

/** `analyse`: wall thickness of a printable model, and the bite with `inputs.opposing`. */
export interface AnalyseOptions {
  thickness: boolean;
  /** Thinnest wall that passes, mm (default 0.5). */
  minWallMm?: number;
  jaw: Jaw;
  opposingUid: string | null;
}

/** `image`: decode a photo, read its EXIF, measure it, make its thumbnail. */
export interface ImageOptions {
  mediaType: ImageMediaType;
}

/** What the image worker posts back: the measures, with the JPEG bytes as transferred buffers. */
export interface ImageJobResult extends Omit<PhotoMeasures, 'thumbnail' | 'served'> {
  thumbnail: ArrayBuffer;
  served?: ArrayBuffer;
}

/** `probe` (the ingest try-read, run once outside the queue) takes no options. */
export type ProbeOptions = Record<string, never>;

export interface ProbeResult {
  format: string;
  variant: string;
  triangles: number;
  vertices: number;
  warnings: string[];
}

/** `convert` (a download in another format, run once outside the queue). */
export interface ConvertOptions {
  format: Extract<MeshFormat, 'stl' | 'ply' | 'obj' | 'glb'>;
  /** STL and PLY: the ASCII variant. */
  ascii: boolean;
  /** File name without extension, for the OBJ's .mtl and the STL solid. */
  baseName: string;
}

export interface ConvertResult {
  /** The file, transferred. */
  bytes: ArrayBuffer;
  /** 'stl', 'ply', 'obj', 'glb', or 'zip' for an OBJ with its .mtl. */
  extension: string;
  triangles: number;
}

/** Every kind with its options and result. */
export interface JobKinds {
  validate: { options: ValidateOptions; result: ValidateResult };
  derive: { options: DeriveOptions; result: AnalysisResult };
  compare: { options: CompareOptions; result: AnalysisResult };
  analyse: { options: AnalyseOptions; result: AnalysisResult };
  image: { options: ImageOptions; result: ImageJobResult };
  probe: { options: ProbeOptions; result: ProbeResult };
  convert: { options: ConvertOptions; result: ConvertResult };
}

export type JobKind = keyof JobKinds;

/**
 * A kind's options. A kind outside the registry (a test's own worker) gets plain JSON
 * options and an unknown result: the registry types what Cusp runs, and stays open.
 */
export type OptionsOf<K extends string> = K extends JobKind ? JobKinds[K]['options'] : Record<string, unknown>;
export type ResultOf<K extends string> = K extends JobKind ? JobKinds[K]['result'] : unknown;

/** The worker script (`<name>.worker.js` in the worker folder) of each kind. */
export const JOB_WORKERS: { readonly [K in JobKind]: string } = {
  validate: 'validate',
  derive: 'derive',
  compare: 'compare',
  analyse: 'analyse',
  image: 'image',
  probe: 'probe',
  convert: 'convert',
};

/** The worker script of `kind`: the registry's, else a name the caller gives. */
export function workerOf(kind: string, given?: string): string | undefined {
  return given ?? (Object.hasOwn(JOB_WORKERS, kind) ? JOB_WORKERS[kind as JobKind] : undefined);
}
