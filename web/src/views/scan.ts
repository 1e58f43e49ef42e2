/**
 * `/review/scans/:uid` — the scan in 3D: the decimated preview first, the full scan on
 * request; the validation findings drawn on the mesh and listed in words, each clickable
 * to fly to it; sizes in mm and a two-click distance measurement.
 */
import * as THREE from 'three';
import { api, bytes } from '../api.js';
import { h, mm, replace } from '../dom.js';
import { countedByReport, locateEdgeFindings, locateSelfIntersections, type Located } from '../viewer/findings.js';
import { parseGlb, scanMesh } from '../viewer/load.js';
import { Stage, viewKey, type ViewName } from '../viewer/stage.js';
import type { ScanLine } from './visit-card.js';
import { exposeForTests, viewToolbar } from '../viewer/toolbar.js';

interface Report {
  triangles: number;
  bbox: { min: [number, number, number]; max: [number, number, number] };
  area: number;
  holes: { count: number; lengths: number[] };
  nonManifoldEdges: number;
  selfIntersectingPairs: number | null;
  /** Up to 200 crossing pairs, both triangles' corners (absent in reports made before it was kept). */
  selfIntersectingFaces?: Array<{ a: number[]; b: number[] }>;
  units: string;
  verdict: 'ok' | 'warn' | 'fail';
  issues: Array<{ code: string; severity: 'warn' | 'fail'; message: string }>;
}

/** `GET /scans/:uid`, the parts the viewer uses: the scan as the timeline lists it, with its reports. */
export interface ScanDetail extends ScanLine {
  reports: {
    validation?: Report;
    preview?: { triangles: number; sourceTriangles: number; errorMm: number };
    thickness?: { regions: Array<{ maxMm: number; areaMm2: number; centroid: [number, number, number] }> };
    comparison?: unknown;
    occlusion?: {
      opposing: string | null;
      contactMm: number;
      upper: { contacts: Array<{ areaMm2: number; maxMm: number; centroid: [number, number, number] }> };
      lower: { contacts: Array<{ areaMm2: number; maxMm: number; centroid: [number, number, number] }> };
    };
  };
  artifacts: Array<{ kind: string; size: number | null }>;
}

const FINDING_WORDS: Record<Located['kind'], (f: Located) => string> = {
  border: (f) => `Outer border of the scan (${f.size.toFixed(1)} mm long) — where the scan ends, as expected.`,
  hole: (f) => `Hole in the surface, border ${f.size.toFixed(1)} mm long — the scanner saw nothing here; rescan the area if it matters.`,
  'non-manifold': (f) => `${f.size} non-manifold edge${f.size === 1 ? '' : 's'} — more than two triangles meet on an edge; the mesh needs repair before printing.`,
};

/** Teal: apart from the border's blue, the hole's red, the non-manifold purple and the thin wall's orange. */
const CROSSING_COLOUR = 0x00a89d;

export async function scanView(main: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const uid = params.uid;
  const scan = await api<ScanDetail>('GET', `/scans/${uid}`);
  const report = scan.reports.validation;
  const canvasBox = h('div', { class: 'stage', id: 'scan-stage' });
  const progress = h('p', { class: 'muted', id: 'load-state', role: 'status' }, 'Loading the preview…');
  const findings = h('ol', { class: 'findings', id: 'findings' });
  const measured = h('p', { id: 'measure', class: 'muted' }, 'Measure: press D, then click two points on the surface.');
  const facts = h('dl', { class: 'facts' });
  const fullButton = h('button', { type: 'button', id: 'load-full' }, 'Load the full scan');
  const stage = new Stage(canvasBox);
  const bite = h('section', { id: 'bite' });
  const side = h('aside', { class: 'side' },
    h('h2', {}, 'Scan'), facts,
    h('h2', {}, 'Findings'), findings, measured, progress, bite);
  replace(main,
    h('p', {}, scan.patient ? h('a', { href: `/review/patients/${encodeURIComponent(scan.patient)}` }, '← the patient\'s timeline') : 'Not assigned to a patient yet.'),
    h('h1', {}, `${scan.jaw} scan of ${(scan.capturedAt ?? scan.receivedAt).slice(0, 10)}`, ' ', h('span', { class: `verdict ${scan.verdict ?? scan.status}` }, scan.verdict ?? scan.status)),
    h('div', { class: 'viewer' }, h('div', { class: 'stage-col' }, viewToolbar(stage, fullButton), canvasBox), side));

  const factList: Array<[string, string]> = [];
  if (report) {
    const size = report.bbox.max.map((x, i) => x - report.bbox.min[i]);
    factList.push(['size', `${size.map((x) => x.toFixed(1)).join(' × ')} mm`], ['surface', `${report.area.toFixed(0)} mm²`], ['triangles', report.triangles.toLocaleString('en')]);
  }
  if (scan.reports.preview) factList.push(['preview', `${scan.reports.preview.triangles.toLocaleString('en')} triangles, within ${mm(scan.reports.preview.errorMm, 3)} of the scan`]);
  if (scan.reason) factList.push(['verdict', scan.reason]);
  replace(facts, ...factList.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

  let mesh: THREE.Mesh | undefined;
  let framed = false;
  const overlay = new THREE.Group();
  stage.scene.add(overlay);
  const show = async (path: string, label: string) => {
    const data = await bytes(path, (got, total) => (progress.textContent = `Loading ${label}: ${(got / 1048576).toFixed(1)}${total ? ` of ${(total / 1048576).toFixed(1)}` : ''} MiB`));
    progress.textContent = `Preparing ${label}…`;
    const geometry = await parseGlb(data);
    if (mesh) {
      stage.scene.remove(mesh);
      mesh.geometry.dispose();
    }
    mesh = scanMesh(geometry);
    stage.scene.add(mesh);
    // Frame the first mesh shown (the preview, or the full scan when no preview is made yet);
    // loading the full scan later keeps the view where the person left it.
    if (!framed) stage.frameOn(geometry.getAttribute('position').array, geometry.boundingBox!);
    framed = true;
    drawFindings(geometry, label);
    stage.renderNow();
    progress.textContent = `Showing ${label} (${(geometry.index ? geometry.index.count / 3 : geometry.getAttribute('position').count / 3).toLocaleString('en')} triangles).`;
    document.body.dataset.viewReady = 'scan';
    performance.mark('cusp-view-ready');
  };

  const drawFindings = (geometry: THREE.BufferGeometry, label: string) => {
    overlay.clear();
    const positions = geometry.getAttribute('position').array as Float32Array;
    // Only what the scan's own check counted: the preview can have edges the scan has not.
    const counts = report && { holes: report.holes.count, nonManifoldEdges: report.nonManifoldEdges };
    const located = countedByReport(locateEdgeFindings(positions, geometry.index ? geometry.index.array : null), counts);
    const items: HTMLElement[] = [];
    const fly = (c: [number, number, number]) => () => stage.flyTo(new THREE.Vector3(...c));
    for (const f of located) {
      const lines = new THREE.BufferGeometry();
      const pts = new Float32Array(f.edges.length * 3);
      f.edges.forEach((v, i) => pts.set(positions.subarray(3 * v, 3 * v + 3), 3 * i));
      lines.setAttribute('position', new THREE.BufferAttribute(pts, 3));
      const color = f.kind === 'border' ? 0x2b6cb0 : f.kind === 'hole' ? 0xd62728 : 0x9c27b0;
      overlay.add(new THREE.LineSegments(lines, new THREE.LineBasicMaterial({ color, depthTest: f.kind === 'border' })));
      if (f.kind !== 'border' || located.length <= 12) {
        items.push(h('li', { class: `finding ${f.kind}`, 'data-kind': f.kind },
          h('button', { type: 'button', class: 'link', onclick: fly(f.center) }, FINDING_WORDS[f.kind](f))));
      }
    }
    for (const r of scan.reports.thickness?.regions ?? []) {
      const marker = new THREE.Mesh(new THREE.SphereGeometry(0.4, 12, 8), new THREE.MeshBasicMaterial({ color: 0xff7f0e, depthTest: false }));
      marker.position.set(...r.centroid);
      overlay.add(marker);
      items.push(h('li', { class: 'finding thin-wall', 'data-kind': 'thin-wall' },
        h('button', { type: 'button', class: 'link', onclick: fly(r.centroid) }, `Thin wall: ${mm(r.maxMm)} over ${r.areaMm2.toFixed(1)} mm² — too thin to print reliably.`)));
    }
    const pairs = report?.selfIntersectingPairs ?? 0;
    const faces = report?.selfIntersectingFaces ?? [];
    if (pairs > 0 && faces.length) {
      // The crossing triangles of the full scan, filled in a colour no other finding uses and
      // drawn over the surface (a fold is often inside it), wherever the view is.
      for (const spot of locateSelfIntersections(faces)) {
        const g = new THREE.BufferGeometry();
        g.setAttribute('position', new THREE.Float32BufferAttribute(spot.triangles, 3));
        overlay.add(new THREE.Mesh(g, new THREE.MeshBasicMaterial({ color: CROSSING_COLOUR, side: THREE.DoubleSide, depthTest: false })));
        items.push(h('li', { class: 'finding self-intersection', 'data-kind': 'self-intersection' },
          h('button', { type: 'button', class: 'link', onclick: fly(spot.center) }, spot.pairs === 1
            ? 'These two triangles cross each other — the surface folds through itself here; the mesh needs repair before printing.'
            : `${spot.pairs} pairs of triangles cross each other — the surface folds through itself here; the mesh needs repair before printing.`)));
      }
      if (pairs > faces.length) items.push(h('li', { class: 'muted small' }, `${faces.length} of the ${pairs} crossing pairs are drawn.`));
    } else if (pairs > 0) {
      items.push(h('li', { class: 'finding self-intersection', 'data-kind': 'self-intersection' },
        `The surface passes through itself (${pairs} crossing triangle pair${pairs === 1 ? '' : 's'}) — counted by a check made before Cusp kept where; not drawn on the mesh.`));
    }
    for (const issue of report?.issues ?? []) {
      if (['interior_holes', 'non_manifold_edges', 'self_intersections'].includes(issue.code)) continue;
      items.push(h('li', { class: `finding issue ${issue.severity}`, 'data-kind': issue.code }, issue.message));
    }
    if (!items.length) items.push(h('li', { class: 'muted' }, 'Nothing to point out: the scan passed every check.'));
    replace(findings, ...items, h('li', { class: 'muted small' }, `Drawn on ${label}.`));
    stage.request();
  };

  // The bite with the opposing jaw of the visit, when that analysis ran: its contacts (the
  // tightest clearance of each patch, clickable) and the clearance map as Cusp drew it.
  const occlusion = scan.reports.occlusion;
  if (occlusion) {
    const mine = scan.jaw === 'lower' ? occlusion.lower : occlusion.upper;
    replace(bite, h('h2', {}, 'Bite'),
      h('p', { class: 'small' }, `Contacts: clearance under ${mm(occlusion.contactMm)} with the opposing scan`,
        occlusion.opposing ? [' (', h('a', { href: `/review/scans/${occlusion.opposing}` }, 'open it'), ')'] : ''),
      h('ol', { class: 'regions', id: 'contacts' }, ...(mine.contacts.length ? mine.contacts.map((c) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => stage.flyTo(new THREE.Vector3(...c.centroid)) }, `Contact ${c.areaMm2.toFixed(1)} mm², tightest ${mm(c.maxMm)}`)))
        : [h('li', { class: 'muted' }, 'No contacts: the jaws do not touch in this bite.')])),
      h('img', { src: `/api/v1/scans/${uid}/artifacts/heatmap:clearance`, alt: 'Clearance to the opposing jaw, red where the teeth touch', class: 'bite-map' }));
  }

  // Two-click measurement in mm (D starts it).
  let measuring: THREE.Vector3[] | undefined;
  const ray = new THREE.Raycaster();
  const onPick = (e: PointerEvent) => {
    if (!measuring || !mesh) return;
    const rect = stage.renderer.domElement.getBoundingClientRect();
    ray.setFromCamera(new THREE.Vector2(((e.clientX - rect.left) / rect.width) * 2 - 1, -((e.clientY - rect.top) / rect.height) * 2 + 1), stage.camera);
    const hit = ray.intersectObject(mesh)[0];
    if (!hit) return;
    measuring.push(hit.point.clone());
    if (measuring.length === 2) {
      const [a, b] = measuring;
      measured.textContent = `Distance: ${mm(a.distanceTo(b))} (straight line between the two points).`;
      const g = new THREE.BufferGeometry().setFromPoints([a, b]);
      overlay.add(new THREE.Line(g, new THREE.LineBasicMaterial({ color: 0x111111, depthTest: false })));
      stage.request();
      measuring = undefined;
    } else measured.textContent = 'Measure: click the second point.';
  };
  stage.renderer.domElement.addEventListener('pointerup', onPick);
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement | null)?.closest('input, textarea, select')) return;
    const v: ViewName | undefined = viewKey(e.key);
    if (v) stage.view(v);
    else if (e.key === 'd' || e.key === 'D') {
      measuring = [];
      measured.textContent = 'Measure: click the first point.';
    } else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  fullButton.addEventListener('click', () => {
    fullButton.disabled = true;
    void show(`/scans/${uid}/converted?format=glb`, 'the full scan').catch((err: unknown) => {
      progress.textContent = `The full scan did not load: ${err instanceof Error ? err.message : String(err)}`;
      fullButton.disabled = false;
    });
  });
  const hasPreview = scan.artifacts.some((a) => a.kind === 'preview');
  const first = hasPreview ? show(`/scans/${uid}/artifacts/preview`, 'the preview') : show(`/scans/${uid}/converted?format=glb`, 'the full scan');
  const unexpose = exposeForTests({ stage, mesh: () => mesh });
  await first.catch((err: unknown) => (progress.textContent = `The scan did not load: ${err instanceof Error ? err.message : String(err)}`));
  return () => {
    document.removeEventListener('keydown', onKey);
    unexpose();
    stage.dispose();
  };
}
