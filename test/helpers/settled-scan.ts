// Scans taken in through the real ingest service of an API test stack, waited for until their
// jobs have run: the shared set-up of the assignment and visit tests.
import type { Scan } from '../../src/store/scans.js';
import type { apiStack } from './api.js';
import { corpusBytes } from './corpus.js';
import { until } from './until.js';

/** The same binary STL with another header: other bytes (another scan to Cusp), the same mesh. */
export function variant(relative: string, tag: string): Buffer {
  const bytes = Buffer.from(corpusBytes(relative));
  bytes.fill(0x20, 0, 80);
  bytes.write(`cusp test ${tag}`, 0, 'ascii');
  return bytes;
}

type Api = Awaited<ReturnType<typeof apiStack>>;

/** Ingest `bytes` as `name` and wait until the scan is analysed (or rejected) with no job left queued or running. */
export async function ingestSettled(api: Api, bytes: Buffer, name: string): Promise<Scan> {
  const { scan } = await api.ingest.ingestBytes({ bytes, name, actor: 'system', source: 'import' });
  api.dispatcher.notify();
  return until(`scan ${name} analysed`, () => {
    const s = api.store.scans.get(scan.id)!;
    const busy = api.store.jobs.forScan(scan.id).some((j) => j.state === 'queued' || j.state === 'running');
    return (s.status === 'analysed' || s.status === 'rejected') && !busy ? s : undefined;
  }, 120_000);
}
