/**
 * `/review/visits/:id/bite` — the visit's upper and lower jaw together in 3D, as the scanner
 * placed them, the lower coloured by its clearance to the upper (contacts at or under 0 mm,
 * near contacts up to 0.5 mm; legend in mm); orbit and the standard views as in the scan
 * viewer, a view onto the lower's biting surface, the upper shown or hidden by key; and
 * beside it the bite as Cusp's analysis measured it on the full scans (its contacts,
 * clickable, and its clearance picture).
 */
import * as THREE from 'three';
import { api, bytes } from '../api.js';
import { h, mm, replace } from '../dom.js';
import { bandColours, indexedMesh, measureBite, meshGeometry, NEAR_MM } from '../viewer/bite-clearance.js';
import { parseGlb, scanMesh } from '../viewer/load.js';
import { Stage, viewKey } from '../viewer/stage.js';
import { exposeForTests, viewToolbar } from '../viewer/toolbar.js';
import type { ScanDetail } from './scan.js';
import type { ScanLine, VisitDetail } from './visit-card.js';

interface Contact { areaMm2: number; maxMm: number; centroid: [number, number, number] }
interface JawSide { stats: { minClearanceMm: number; contactAreaMm2: number; penetrationAreaMm2: number }; contacts: Contact[] }
interface OcclusionReport { opposing: string | null; contactMm: number; upper: JawSide; lower: JawSide }

const when = (s: ScanLine) => s.capturedAt ?? s.receivedAt;

/** The newest scan of `jaw` in the visit that was not rejected. */
export function jawOf(visit: VisitDetail, jaw: 'upper' | 'lower'): ScanLine | undefined {
  return visit.scans.filter((s) => s.jaw === jaw && s.status !== 'rejected').sort((a, b) => when(b).localeCompare(when(a)))[0];
}

/** The preview GLB of a scan, or the full scan converted when it has none. */
async function jawGeometry(scan: ScanDetail): Promise<THREE.BufferGeometry> {
  const hasPreview = scan.artifacts.some((a) => a.kind === 'preview');
  return parseGlb(await bytes(hasPreview ? `/scans/${scan.uid}/artifacts/preview` : `/scans/${scan.uid}/converted?format=glb`));
}

export async function biteView(main: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const visit = await api<VisitDetail>('GET', `/visits/${Number(params.id)}`);
  const back = h('p', {}, h('a', { href: `/review/patients/${encodeURIComponent(visit.patient)}` }, '← the patient\'s timeline'), ' · ',
    h('a', { href: `/review/visits/${visit.id}` }, `the visit of ${visit.date}`));
  const upperLine = jawOf(visit, 'upper');
  const lowerLine = jawOf(visit, 'lower');
  if (!upperLine || !lowerLine) {
    replace(main, back, h('p', { class: 'error', role: 'alert', id: 'no-bite' },
      `This visit has no ${!upperLine && !lowerLine ? 'upper or lower' : !upperLine ? 'upper' : 'lower'} jaw scan: the bite needs both jaws of one visit.`));
    return () => undefined;
  }
  const [upper, lower] = await Promise.all([api<ScanDetail>('GET', `/scans/${upperLine.uid}`), api<ScanDetail>('GET', `/scans/${lowerLine.uid}`)]);

  const box = h('div', { class: 'stage', id: 'bite-stage' });
  const status = h('p', { class: 'muted', id: 'load-state', role: 'status' }, 'Loading both jaws…');
  const stage = new Stage(box);
  const showUpper = h('input', { type: 'checkbox', id: 'show-upper', checked: true });
  const biting = h('button', { type: 'button', 'data-view': 'biting', title: 'The lower jaw\'s biting surface, the upper hidden (key B)' }, 'Lower biting surface');
  const legend = h('figure', { class: 'legend', id: 'legend' },
    h('figcaption', {}, 'Lower jaw coloured by its clearance to the upper'),
    h('p', { class: 'small' },
      h('span', { class: 'swatch contact' }), ' contact: 0 mm or less (touching or overlapping) · ',
      h('span', { class: 'swatch near' }), ` near: 0–${NEAR_MM.toFixed(2)} mm · `,
      h('span', { class: 'swatch clear' }), ` more than ${NEAR_MM.toFixed(2)} mm`));
  const measured = h('p', { id: 'bite-measured', class: 'small' });
  const summary = h('section', { id: 'bite-summary' });
  replace(main, back,
    h('h1', {}, `Bite of ${visit.date}`),
    h('div', { class: 'viewer' },
      h('div', { class: 'stage-col' },
        h('div', { class: 'controls' }, viewToolbar(stage, biting), ' ', h('label', { for: 'show-upper' }, showUpper, ' Upper jaw (U)')),
        legend, box),
      h('aside', { class: 'side' }, h('h2', {}, 'In this view'), measured, status, summary)));

  // Cusp's own bite analysis of the full scans, on whichever jaw completed the pair.
  const holder = [lower, upper].find((s) => {
    const o = s.reports.occlusion;
    return o && o.opposing === (s === lower ? upper.uid : lower.uid);
  });
  const report = holder?.reports.occlusion as OcclusionReport | undefined;
  const contactList = (side: JawSide, jaw: string) => h('ol', { class: 'regions', id: `contacts-${jaw}` }, ...(side.contacts.length
    ? side.contacts.map((c) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => stage.flyTo(new THREE.Vector3(...c.centroid)) },
      `Contact ${c.areaMm2.toFixed(1)} mm², tightest ${mm(c.maxMm)}`)))
    : [h('li', { class: 'muted' }, 'No contacts: the jaws do not touch in this bite.')]));
  replace(summary, h('h2', {}, 'Cusp\'s analysis (full scans)'), ...(report && holder ? [
    h('p', { class: 'small' }, `Here a contact is a clearance under ${mm(report.contactMm)} (the colours mark 0 mm or less). Closest ${mm(report.lower.stats.minClearanceMm)}; contact area ${report.lower.stats.contactAreaMm2.toFixed(1)} mm² on the lower, ${report.upper.stats.contactAreaMm2.toFixed(1)} mm² on the upper.`),
    h('h3', {}, 'Lower jaw'), contactList(report.lower, 'lower'),
    h('h3', {}, 'Upper jaw'), contactList(report.upper, 'upper'),
    h('img', { src: `/api/v1/scans/${holder.uid}/artifacts/heatmap:clearance`, alt: `Clearance of the ${holder.jaw} jaw to the other, as Cusp drew it`, class: 'bite-map' }),
  ] : [h('p', { class: 'muted', id: 'no-analysis' }, 'Cusp has not analysed this bite (yet): it does once both jaws are validated.')]));

  const [upperGeometry, lowerGeometry] = await Promise.all([jawGeometry(upper), jawGeometry(lower)]).catch((err: unknown) => {
    stage.dispose();
    throw err;
  });
  status.textContent = 'Measuring the clearance…';
  await new Promise((resolve) => requestAnimationFrame(resolve)); // let the status show
  performance.mark('cusp-bite-start');
  const upperMesh = indexedMesh(upperGeometry);
  const bite = measureBite(upperMesh, indexedMesh(lowerGeometry));
  performance.measure('cusp-bite-clearance', 'cusp-bite-start'); // what the browser spent measuring
  upperGeometry.dispose();
  lowerGeometry.dispose();
  const lowerGeo = meshGeometry(bite.lower);
  lowerGeo.setAttribute('color', new THREE.BufferAttribute(bandColours(bite.clearance), 3));
  const lowerJaw = scanMesh(lowerGeo, { vertexColors: true });
  const upperJaw = scanMesh(meshGeometry(upperMesh), { color: 0xd9d4ca });
  const jaws = new THREE.Group();
  jaws.add(lowerJaw, upperJaw);
  stage.scene.add(jaws);
  const both = new Float32Array(upperMesh.positions.length + bite.lower.positions.length);
  both.set(upperMesh.positions);
  both.set(bite.lower.positions, upperMesh.positions.length);
  const frame = new THREE.Box3().setFromBufferAttribute(new THREE.BufferAttribute(both, 3));
  stage.frameOn(both, frame);

  const setUpper = (on: boolean) => {
    showUpper.checked = on;
    // Removed, not only hidden: the tests' and the measuring ray see only what is drawn.
    if (on) jaws.add(upperJaw);
    else jaws.remove(upperJaw);
    stage.request();
  };
  showUpper.addEventListener('change', () => setUpper(showUpper.checked));
  // Looking from the upper jaw's centre onto the lower's: its biting surface.
  const bitingView = () => {
    setUpper(false);
    const from = centroid(upperMesh.positions);
    const to = centroid(bite.lower.positions);
    const dir = from.clone().sub(to).normalize();
    const radius = frame.getBoundingSphere(new THREE.Sphere()).radius;
    const up = Math.abs(dir.z) < 0.9 ? new THREE.Vector3(0, 0, 1) : new THREE.Vector3(0, 1, 0);
    stage.camera.up.copy(up);
    stage.camera.position.copy(to).addScaledVector(dir, (radius / Math.tan((stage.camera.fov * Math.PI) / 360)) * 0.9);
    stage.controls.target.copy(to);
    stage.camera.lookAt(to);
    stage.controls.update();
    stage.renderNow();
  };
  biting.addEventListener('click', bitingView);

  const error = Math.max(upper.reports.preview?.errorMm ?? 0, lower.reports.preview?.errorMm ?? 0);
  replace(measured,
    `Measured here on the previews (${error > 0 ? `each within ${mm(error, 3)} of its scan` : 'the same surfaces as the scans'}): `,
    `closest ${Number.isNaN(bite.minMm) ? 'more than 3 mm' : mm(bite.minMm)}, contact ${bite.contactAreaMm2.toFixed(1)} mm², near contact ${bite.nearAreaMm2.toFixed(1)} mm² on the lower jaw.`);
  replace(status, 'As the scanner placed them: ', h('a', { href: `/review/scans/${upper.uid}` }, 'the upper jaw'), ' and ',
    h('a', { href: `/review/scans/${lower.uid}` }, 'the lower jaw'), ` of ${visit.date}.`);

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement | null)?.closest('input, textarea, select')) return;
    const v = viewKey(e.key);
    if (v) stage.view(v);
    else if (e.key === 'u' || e.key === 'U') setUpper(!showUpper.checked);
    else if (e.key === 'b' || e.key === 'B') bitingView();
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  const unexpose = exposeForTests({ stage, mesh: () => jaws });
  stage.renderNow();
  document.body.dataset.viewReady = 'bite';
  return () => {
    document.removeEventListener('keydown', onKey);
    unexpose();
    stage.dispose();
  };
}

function centroid(positions: Float32Array): THREE.Vector3 {
  const c = new THREE.Vector3();
  const n = positions.length / 3;
  for (let v = 0; v < n; v++) c.add(new THREE.Vector3(positions[3 * v], positions[3 * v + 1], positions[3 * v + 2]));
  return c.divideScalar(Math.max(1, n));
}
