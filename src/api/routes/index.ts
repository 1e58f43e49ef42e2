import type { RouteSpec } from '../route.js';
import type { ApiServices } from '../services.js';
import { annotationRoutes } from './annotations.js';
import { auditRoutes } from './audit.js';
import { changeRoutes } from './changes.js';
import { downloadRoutes } from './downloads.js';
import { eventRoutes } from './events.js';
import { folderRoutes } from './folders.js';
import { gdprRoutes } from './gdpr.js';
import { healthRoutes } from './health.js';
import { identityRoutes } from './identity.js';
import { imageRoutes } from './images.js';
import { maintenanceRoutes } from './maintenance.js';
import { jobRoutes } from './jobs.js';
import { metricsRoutes } from './metrics.js';
import { openApiRoutes } from './openapi.js';
import { patientRoutes } from './patients.js';
import { principalRoutes } from './principals.js';
import { retentionRoutes } from './retention.js';
import { reviewLinkRoutes } from './review-links.js';
import { reviewRoutes } from './review.js';
import { scanRoutes } from './scans.js';
import { sessionRoutes } from './session.js';
import { operationsRoutes } from './operations.js';
import { uploadRoutes } from './uploads.js';
import { visitRoutes } from './visits.js';

/** Every route of the API, in the order of the OpenAPI document (which is one of them). */
export function allRoutes(s: ApiServices): RouteSpec[] {
  const routes: RouteSpec[] = [...healthRoutes(s), ...openApiRoutes(s, () => routes), ...sessionRoutes(s), ...scanRoutes(s), ...uploadRoutes(s), ...downloadRoutes(s), ...patientRoutes(s), ...identityRoutes(s), ...visitRoutes(s), ...reviewRoutes(s), ...reviewLinkRoutes(s), ...imageRoutes(s), ...annotationRoutes(s), ...jobRoutes(s), ...operationsRoutes(s),
    ...folderRoutes(s), ...changeRoutes(s), ...eventRoutes(s), ...auditRoutes(s), ...gdprRoutes(s), ...retentionRoutes(s), ...metricsRoutes(s), ...principalRoutes(s), ...maintenanceRoutes(s)];
  return routes;
}
