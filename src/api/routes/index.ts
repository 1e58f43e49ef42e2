import type { RouteSpec } from '../route.js';
import type { ApiServices } from '../services.js';
import { annotationRoutes } from './annotations.js';
import { downloadRoutes } from './downloads.js';
import { healthRoutes } from './health.js';
import { jobRoutes } from './jobs.js';
import { patientRoutes } from './patients.js';
import { scanRoutes } from './scans.js';
import { uploadRoutes } from './uploads.js';
import { visitRoutes } from './visits.js';

/** Every route of the API, in the order of the OpenAPI document. */
export function allRoutes(s: ApiServices): RouteSpec[] {
  return [...healthRoutes(s), ...scanRoutes(s), ...uploadRoutes(s), ...downloadRoutes(s), ...patientRoutes(s), ...visitRoutes(s), ...annotationRoutes(s), ...jobRoutes(s)];
}
