/**
 * Pictures of scans, pure: typed arrays in, RGBA pixels and PNG/GLB bytes out.
 * - `renderThumbnail(mesh)`: the scan in its colours from a sensible view (jaws from above).
 * - `renderHeatMap(mesh, values, 'deviation' | 'thickness' | 'clearance')`: a per-vertex map
 *   with its legend in mm; `heatMapGlb` gives the same colours on the mesh for 3D viewers.
 * Each picture carries its `view`, so `project(view, x, y, z)` finds a point's pixel.
 */
export { colorOf, colorsOf, NO_VALUE, type ColorScale } from './colormap.js';
export { encodePng, type Rgba, type RgbaImage } from './image.js';
export { heatMapGlb, mapScale, renderHeatMap, renderThumbnail, type HeatMapOptions, type MapKind, type Picture, type ThumbnailOptions } from './pictures.js';
export { chooseView, project, type View, type ViewKind, type ViewOptions } from './view.js';
