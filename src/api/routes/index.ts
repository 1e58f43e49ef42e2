import type { RouteSpec } from '../route.js';
import type { ApiServices } from '../services.js';
import { healthRoutes } from './health.js';
import { scanRoutes } from './scans.js';

/** Every route of the API, in the order of the OpenAPI document. */
export function allRoutes(s: ApiServices): RouteSpec[] {
  return [...healthRoutes(s), ...scanRoutes(s)];
}
