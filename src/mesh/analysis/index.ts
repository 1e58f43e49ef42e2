/**
 * The analyses of Cusp: pure functions on typed arrays, each with a progress callback and a
 * result of plain JSON plus per-vertex Float32Arrays (transferable between threads).
 *
 * - `compareScans(previous, current)`: registration + deviation both ways + statistics +
 *   regions (`CompareResult` is the stored JSON); `compareScansWith(previous, side)` is the
 *   same with the new scan's half on a second thread the caller provides (`NewScanSide`).
 * - `measureThickness(mesh)`: wall thickness per vertex by inward rays, thin area and patches.
 * - `measureOcclusion(upper, lower)`: clearance of each jaw to the other, contacts, penetrations.
 * The building blocks are exported too, so a caller can run the distance queries of one map
 * on several threads (`prepareTarget` + `mortonOrder` + `signedDistanceRange` per range).
 * Distances are in the meshes' units, which for dental scans are millimetres.
 */
export { compareScans, compareScansWith, measureBack, prepareNewScan, type BackRequest, type CompareOptions, type CompareResult, type Comparison, type NewScanSide } from './compare.js';
export { measureDeviation, signedDistances, summarise, type Deviation, type DeviationOptions } from './deviation.js';
export { measureOcclusion, type ClearanceMap, type ClearanceStats, type Occlusion, type OcclusionOptions } from './occlusion.js';
export { principalAxes, type PrincipalAxes } from './principal-axes.js';
export { findRegions, summarisePatches, type Region, type RegionOptions } from './regions.js';
export { registerScans, type Registration, type RegistrationOptions } from './registration.js';
export { identity, invertRigid, multiply, rotationDegrees, transformPositions, type Mat4 } from './rigid-transform.js';
export { prepareTarget, signedDistanceRange, type DistanceTarget, type SignedDistanceOptions } from './signed-distance.js';
export { mortonOrder } from './spatial-order.js';
export { DEFAULT_THRESHOLDS, distanceStats, type DistanceStats } from './statistics.js';
export { measureThickness, type Thickness, type ThicknessOptions, type ThicknessStats } from './thickness.js';
