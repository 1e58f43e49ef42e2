/**
 * The `validate` job: read the scan (strictly) and inspect it — topology, measurements,
 * self-intersection — giving the report and the verdict. Runs in a worker thread.
 */
import { readMesh } from '../../mesh/read/index.js';
import { inspectMesh } from '../../mesh/report/index.js';
import { normalizeUri } from '../../ingest/siblings.js';
import { runWorker } from '../worker-runtime.js';

runWorker<'validate'>(async (input, report) => {
  report(0, 'reading');
  const siblings = new Map(Object.entries(input.siblings).map(([uri, buf]) => [uri, new Uint8Array(buf)]));
  const read = await readMesh({ bytes: new Uint8Array(input.bytes), name: input.name, resolve: (uri) => siblings.get(normalizeUri(uri)) });
  report(0.2, 'checking');
  const profile = input.options.profile ?? 'scan';
  const meshReport = inspectMesh(read.mesh, {
    profile,
    onProgress: (fraction, stage) => report(0.2 + 0.8 * fraction, stage),
  });
  report(1, 'done');
  return { result: { format: read.format, variant: read.variant, warnings: read.warnings, report: meshReport } };
});
