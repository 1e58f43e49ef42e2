// Data the review page's browser tests put into the real daemon and read back through the API:
// scans dropped into its folder, waited on until every analysis ended.
import assert from 'node:assert/strict';
import { until } from '../helpers/until.js';
import type { ReviewDaemon } from './browser.js';

/** The scan fields these tests read (`GET /scans`). */
export interface ScanDto { uid: string; patient: string | null; jaw: string; status: string; capturedAt: string | null }

/** `GET /api/v1<path>` as the clinician; fails the test on anything but 200. */
export async function apiGet<T>(r: ReviewDaemon, path: string): Promise<T> {
  const res = await r.daemon.request('GET', `/api/v1${path}`, { token: r.token });
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Wait until `count` scans are in and every job of every scan has ended. */
export async function settled(r: ReviewDaemon, count: number): Promise<ScanDto[]> {
  return until(`${count} scans analysed`, async () => {
    const { scans } = await apiGet<{ scans: ScanDto[] }>(r, '/scans?limit=50');
    if (scans.length !== count || scans.some((s) => s.status !== 'analysed' && s.status !== 'rejected')) return undefined;
    const { jobs } = await apiGet<{ jobs: Array<{ state: string }> }>(r, '/jobs?limit=200');
    return jobs.every((j) => j.state === 'done' || j.state === 'failed') ? scans : undefined;
  }, 120_000);
}
