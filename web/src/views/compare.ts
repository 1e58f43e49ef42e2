/**
 * `/review/scans/:uid/compare/:other` — the new scan coloured by its signed deviation from
 * the old one (legend in mm, adjustable range; grey where the old scan has no counterpart,
 * never coloured as change), old and new side by side with linked cameras, an overlay
 * slider that shows the old surface in the new view, and the changed patches listed
 * (area, peak, mean), each clickable to fly to it.
 */
import * as THREE from 'three';
import { api, ApiError, bytes } from '../api.js';
import { h, mm, replace } from '../dom.js';
import { deviationColors, drawLegendBar } from '../viewer/deviation.js';
import { parseGlb, scanMesh } from '../viewer/load.js';
import { Stage, viewKey } from '../viewer/stage.js';
import { exposeForTests, viewToolbar } from '../viewer/toolbar.js';
import type { ScanDetail } from './scan.js';

interface Region { sign: 1 | -1; areaMm2: number; meanMm: number; maxMm: number; centroid: [number, number, number] }
interface Comparison {
  previous: string | null;
  overlap: number;
  residualMm: number;
  stats: { p95: number; max: number; nonOverlapArea?: number } & Record<string, unknown>;
  regions: Region[];
  warnings: string[];
}

const PREVIEW_MAP = 'heatmap-glb:deviation-preview';

/** The deviation map of scan `uid` (the full one or the preview's) with its per-point values when kept and matching. */
async function loadMap(uid: string, full: boolean): Promise<{ heat: THREE.BufferGeometry; exact: Float32Array | undefined; full: boolean }> {
  const [heat, values] = await Promise.all([
    bytes(`/scans/${uid}/artifacts/${full ? 'heatmap-glb:deviation' : PREVIEW_MAP}`).then(parseGlb),
    bytes(`/scans/${uid}/artifacts/${full ? 'deviation:values' : 'deviation:values-preview'}`).then((b) => new Float32Array(b)).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return undefined; // a comparison made before the values were kept
      throw err;
    }),
  ]);
  return { heat, exact: values && values.length === heat.getAttribute('position').count ? values : undefined, full };
}

/** The comparison view; returns its teardown. */
export async function compareView(main: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const { uid, other } = params;
  const [scan, old] = await Promise.all([api<ScanDetail>('GET', `/scans/${uid}`), api<ScanDetail>('GET', `/scans/${other}`)]);
  const comparison = scan.reports.comparison as Comparison | undefined;
  const back = h('p', {}, h('a', { href: `/review/scans/${uid}` }, '← this scan alone'), scan.patient ? ' · ' : '',
    scan.patient ? h('a', { href: `/review/patients/${encodeURIComponent(scan.patient)}` }, 'the patient\'s timeline') : '');
  if (!comparison || comparison.previous !== other) {
    replace(main, back, h('p', { class: 'error', role: 'alert', id: 'no-comparison' }, comparison
      ? `Cusp compared this scan with scan ${comparison.previous ?? 'unknown'}, not with ${other} — open that comparison from the timeline.`
      : 'Cusp has not compared this scan with an earlier one (yet): the comparison runs when the patient has an earlier scan of this jaw.'));
    return () => undefined;
  }
  const when = (s: ScanDetail) => (s.capturedAt ?? s.receivedAt).slice(0, 10);
  const leftBox = h('div', { class: 'stage', id: 'old-stage' });
  const rightBox = h('div', { class: 'stage', id: 'new-stage' });
  const status = h('p', { class: 'muted', id: 'load-state', role: 'status' }, 'Loading the comparison…');
  const range = h('input', { type: 'range', id: 'range', min: '0.05', max: '2', step: '0.05', value: '0.5', 'aria-label': 'Colour range in mm' });
  const rangeLabel = h('output', { id: 'range-value', for: 'range' });
  const overlay = h('input', { type: 'range', id: 'overlay', min: '0', max: '1', step: '0.05', value: '0', 'aria-label': 'Show the old scan over the new one' });
  const bar = h('canvas', { id: 'legend-bar', width: 240, height: 14, 'aria-hidden': 'true' });
  const legendLow = h('span', { id: 'legend-low' });
  const legendHigh = h('span', { id: 'legend-high' });
  const legend = h('figure', { class: 'legend', id: 'legend' },
    h('figcaption', {}, 'Signed deviation of the new surface from the old one'),
    h('div', { class: 'legend-row' }, legendLow, bar, legendHigh),
    h('p', { class: 'small' }, h('span', { class: 'swatch inward' }), ' inward (worn, receded) · ', h('span', { class: 'swatch outward' }), ' outward (added, moved out) · ',
      h('span', { class: 'swatch none' }), ' grey: no counterpart on the old scan — not compared'));
  const regions = h('ol', { class: 'regions', id: 'regions' });
  const fullButton = h('button', { type: 'button', id: 'load-full' }, 'Load the full-resolution map');
  const left = new Stage(leftBox);
  const right = new Stage(rightBox);
  const s = comparison.stats;
  replace(main, back,
    h('h1', {}, `Change from ${when(old)} to ${when(scan)} (${scan.jaw})`),
    h('p', { id: 'summary' }, `Overlap ${(comparison.overlap * 100).toFixed(1)}% of the new scan · 95% of it within ${mm(s.p95)} · largest ${mm(s.max)} · unchanged parts fit to ${mm(comparison.residualMm, 3)} RMS`),
    comparison.warnings.length ? h('ul', { class: 'warnings' }, ...comparison.warnings.map((w) => h('li', {}, w))) : null,
    h('div', { class: 'controls' },
      viewToolbar(right, fullButton), ' ',
      h('label', { for: 'range' }, 'Range ± '), range, ' ', rangeLabel, ' ',
      h('label', { for: 'overlay' }, 'Old scan over new '), overlay),
    legend,
    h('div', { class: 'compare' },
      h('div', { class: 'stage-col' }, h('h2', {}, `Before — ${when(old)}`), leftBox),
      h('div', { class: 'stage-col' }, h('h2', {}, `After — ${when(scan)}, coloured by change`), rightBox)),
    h('h2', {}, 'Changed patches'), regions, status);

  // The map on the preview first (a comparison made since Cusp writes it): at 1M triangles
  // the full map is ~27 MiB to fetch and parse, the preview's ~2 MiB. The full one on request.
  const lightFirst = scan.artifacts.some((a) => a.kind === PREVIEW_MAP);
  const [first, before] = await Promise.all([loadMap(uid, !lightFirst), bytes(`/scans/${other}/artifacts/preview`).then(parseGlb)]).catch((err: unknown) => {
    left.dispose();
    right.dispose();
    throw err;
  });
  performance.mark('cusp-data-loaded'); // downloads and GLB parsing done (the bench splits its time here)
  let { heat, exact, full } = first;
  // Float colours the range slider rewrites in place (the GLB's own are fixed at ±0.5 mm).
  const paint = () => {
    if (exact) heat.setAttribute('color', new THREE.BufferAttribute(deviationColors(exact, Number(range.value)), 3));
  };
  paint();
  const newMesh = scanMesh(heat, { vertexColors: true });
  const oldMesh = scanMesh(before);
  const ghost = new THREE.Mesh(before, new THREE.MeshStandardMaterial({ color: 0x777777, transparent: true, opacity: 0, depthWrite: false, roughness: 0.8, side: THREE.DoubleSide }));
  ghost.visible = false;
  left.scene.add(oldMesh);
  right.scene.add(newMesh, ghost);
  right.frameOn(heat.getAttribute('position').array, heat.boundingBox!);
  left.shareFrame(right);
  right.link(left);

  const recolour = () => {
    const r = Number(range.value);
    rangeLabel.textContent = mm(r);
    legendLow.textContent = `−${r.toFixed(2)} mm`;
    legendHigh.textContent = `+${r.toFixed(2)} mm`;
    drawLegendBar(bar, r);
    if (exact) {
      const attr = heat.getAttribute('color') as THREE.BufferAttribute;
      deviationColors(exact, r, attr.array as Float32Array);
      attr.needsUpdate = true;
      right.request();
    }
  };
  const describe = () => {
    const count = heat.getAttribute('position').count.toLocaleString('en');
    status.textContent = exact
      ? `${count} points coloured by their measured distance${full ? '' : ' (the preview: the full-resolution map has every point)'}.`
      : 'This comparison was made before Cusp kept its per-point values: the colours are fixed at ±0.50 mm.';
    range.disabled = !exact;
  };
  let closed = false;
  fullButton.hidden = !lightFirst;
  fullButton.addEventListener('click', () => {
    fullButton.disabled = true;
    status.textContent = 'Loading the full-resolution map…';
    loadMap(uid, true).then((loaded) => {
      if (closed) return loaded.heat.dispose(); // the clinician moved on meanwhile
      const old = heat;
      ({ heat, exact, full } = loaded);
      paint();
      newMesh.geometry = heat;
      old.dispose();
      recolour();
      describe();
      fullButton.hidden = true;
    }).catch((err: unknown) => {
      status.textContent = `The full-resolution map did not load: ${err instanceof Error ? err.message : String(err)}`;
      fullButton.disabled = false;
    });
  });
  range.addEventListener('input', recolour);
  overlay.addEventListener('input', () => {
    const o = Number(overlay.value);
    ghost.visible = o > 0;
    (ghost.material as THREE.MeshStandardMaterial).opacity = o;
    right.request();
  });
  recolour();

  replace(regions, ...(comparison.regions.length ? comparison.regions.map((r, i) => h('li', { 'data-region': i },
    h('button', { type: 'button', class: 'link', onclick: () => right.flyTo(new THREE.Vector3(...r.centroid)) },
      `${r.sign > 0 ? 'Outward' : 'Inward'}: ${r.areaMm2.toFixed(1)} mm², peak ${mm(r.maxMm, 2, true)}, mean ${mm(r.meanMm, 2, true)}`)))
    : [h('li', { class: 'muted' }, 'No patch moved more than the threshold.')]));

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement | null)?.closest('input, textarea, select')) return;
    const v = viewKey(e.key);
    if (!v) return;
    right.view(v);
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  const unexpose = exposeForTests({ stage: right, mesh: () => newMesh });
  left.renderNow();
  right.renderNow();
  describe();
  document.body.dataset.viewReady = 'compare';
  performance.mark('cusp-view-ready');
  return () => {
    closed = true;
    document.removeEventListener('keydown', onKey);
    unexpose();
    left.dispose();
    right.dispose();
  };
}
