/**
 * One 3D view: a three.js renderer in a container, orbit/zoom/pan with the mouse or keys,
 * the jaw-standard views (occlusal, front, left, right) from the mesh's principal axes,
 * flying to a point, and linking two stages' cameras (side-by-side comparison). It renders
 * on demand only: nothing runs while nobody moves the view.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

/** The standard views. */
export type ViewName = 'occlusal' | 'front' | 'left' | 'right' | 'reset';

/** Principal axes of a point set: [widest, middle, thinnest], unit vectors, and the centre. */
export function principalAxes(positions: ArrayLike<number>): { center: THREE.Vector3; axes: [THREE.Vector3, THREE.Vector3, THREE.Vector3] } {
  const n = positions.length / 3;
  const step = Math.max(1, Math.floor(n / 20000));
  const c = new THREE.Vector3();
  let count = 0;
  for (let i = 0; i < n; i += step, count++) c.add(new THREE.Vector3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]));
  c.divideScalar(Math.max(1, count));
  const m = [0, 0, 0, 0, 0, 0]; // xx xy xz yy yz zz
  for (let i = 0; i < n; i += step) {
    const x = positions[3 * i] - c.x, y = positions[3 * i + 1] - c.y, z = positions[3 * i + 2] - c.z;
    m[0] += x * x; m[1] += x * y; m[2] += x * z; m[3] += y * y; m[4] += y * z; m[5] += z * z;
  }
  const M = new THREE.Matrix3().set(m[0], m[1], m[2], m[1], m[3], m[4], m[2], m[4], m[5]);
  // Power iteration with deflation: enough for three axes of a scan.
  const axes: THREE.Vector3[] = [];
  const work = M.clone();
  for (let k = 0; k < 2; k++) {
    const v = new THREE.Vector3(1, 0.7, 0.3).normalize();
    if (k === 1) v.set(0.3, 1, 0.7).normalize();
    for (let it = 0; it < 60; it++) {
      for (const a of axes) v.addScaledVector(a, -v.dot(a));
      v.applyMatrix3(work).normalize();
    }
    for (const a of axes) v.addScaledVector(a, -v.dot(a));
    axes.push(v.normalize());
  }
  axes.push(new THREE.Vector3().crossVectors(axes[0], axes[1]).normalize());
  return { center: c, axes: axes as [THREE.Vector3, THREE.Vector3, THREE.Vector3] };
}

/** A rendered view in `container`. */
export class Stage {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  private frame?: { center: THREE.Vector3; radius: number; axes: [THREE.Vector3, THREE.Vector3, THREE.Vector3] };
  private pending = false;
  private linked: Stage[] = [];
  private syncing = false;
  private flight?: number;
  private readonly resize: ResizeObserver;
  /** Called after each rendered frame. */
  onRender?: () => void;

  constructor(readonly container: HTMLElement) {
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.setClearColor(0xffffff);
    this.renderer.domElement.setAttribute('tabindex', '0');
    this.renderer.domElement.setAttribute('aria-label', '3D view: drag to turn, wheel to zoom, right-drag to pan; keys 1–4 standard views, 0 reset');
    container.append(this.renderer.domElement);
    this.camera = new THREE.PerspectiveCamera(35, 1, 0.1, 5000);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.listenToKeyEvents(this.renderer.domElement);
    this.controls.addEventListener('change', () => {
      this.request();
      this.sync();
    });
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8a8a, 2.2));
    const key = new THREE.DirectionalLight(0xffffff, 1.4);
    this.camera.add(key);
    key.position.set(0.3, 0.5, 1);
    this.scene.add(this.camera);
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(container);
    this.fit();
  }

  /** The canvas size follows the container. */
  private fit(): void {
    const w = Math.max(1, this.container.clientWidth);
    const hgt = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, hgt, false);
    this.camera.aspect = w / hgt;
    this.camera.updateProjectionMatrix();
    this.request();
  }

  /** Render at the next animation frame (once, however often asked). */
  request(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.renderNow();
    });
  }

  /** Render synchronously. */
  renderNow(): void {
    this.renderer.render(this.scene, this.camera);
    this.onRender?.();
  }

  /** Set the frame the standard views use (centre, size, axes) from a mesh's positions. */
  frameOn(positions: ArrayLike<number>, box: THREE.Box3): void {
    const { center, axes } = principalAxes(positions);
    const radius = box.getBoundingSphere(new THREE.Sphere()).radius;
    this.frame = { center, radius, axes };
    this.camera.near = radius / 100;
    this.camera.far = radius * 100;
    this.view('reset');
  }

  /** Use another stage's frame (the old scan shown with the new one's views). */
  shareFrame(other: Stage): void {
    this.frame = other.frame;
    if (this.frame) {
      this.camera.near = this.frame.radius / 100;
      this.camera.far = this.frame.radius * 100;
    }
  }

  /**
   * A standard view. The thinnest principal axis of a jaw scan is its occlusal axis, the
   * widest runs left to right: occlusal looks down that axis, front along the middle one.
   */
  view(name: ViewName): void {
    if (!this.frame) return;
    const { center, radius, axes } = this.frame;
    const [lr, fb, occ] = axes;
    const dir = name === 'occlusal' ? occ.clone() : name === 'front' ? fb.clone() : name === 'left' ? lr.clone().negate() : name === 'right' ? lr.clone()
      : occ.clone().multiplyScalar(0.8).addScaledVector(fb, 0.6).normalize();
    const up = name === 'occlusal' ? fb.clone() : occ.clone();
    const distance = (radius / Math.tan((this.camera.fov * Math.PI) / 360)) * 0.9;
    this.place(center.clone(), center.clone().addScaledVector(dir, distance), up);
  }

  private place(target: THREE.Vector3, position: THREE.Vector3, up?: THREE.Vector3): void {
    if (up) this.camera.up.copy(up);
    this.camera.position.copy(position);
    this.controls.target.copy(target);
    this.camera.lookAt(target);
    this.controls.update();
    this.request();
    this.sync();
  }

  /** Fly to `point` (a finding, a changed patch), ending `distance` away, in about half a second. */
  flyTo(point: THREE.Vector3, distance?: number): void {
    const from = { target: this.controls.target.clone(), position: this.camera.position.clone() };
    const dir = from.position.clone().sub(from.target).normalize();
    const d = distance ?? (this.frame ? this.frame.radius * 0.7 : from.position.distanceTo(from.target));
    const to = { target: point.clone(), position: point.clone().addScaledVector(dir, d) };
    if (this.flight) cancelAnimationFrame(this.flight);
    const start = performance.now();
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / 500);
      const e = t * t * (3 - 2 * t);
      this.place(from.target.clone().lerp(to.target, e), from.position.clone().lerp(to.position, e));
      this.flight = t < 1 ? requestAnimationFrame(step) : undefined;
    };
    this.flight = requestAnimationFrame(step);
  }

  /** Move `other`'s camera with this one, both ways. */
  link(other: Stage): void {
    this.linked.push(other);
    other.linked.push(this);
    other.copyCamera(this);
  }

  private copyCamera(from: Stage): void {
    this.syncing = true;
    this.camera.position.copy(from.camera.position);
    this.camera.up.copy(from.camera.up);
    this.camera.near = from.camera.near;
    this.camera.far = from.camera.far;
    this.controls.target.copy(from.controls.target);
    this.camera.lookAt(this.controls.target);
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.syncing = false;
    this.request();
  }

  private sync(): void {
    if (this.syncing) return;
    for (const s of this.linked) s.copyCamera(this);
  }

  /**
   * Where `point` appears on the canvas (CSS pixels from its top left) and whether it is
   * the first surface hit there (not hidden behind another part of `mesh`).
   */
  project(point: THREE.Vector3, mesh?: THREE.Object3D): { x: number; y: number; visible: boolean } {
    const p = point.clone().project(this.camera);
    const rect = this.renderer.domElement.getBoundingClientRect();
    const x = ((p.x + 1) / 2) * rect.width;
    const y = ((1 - p.y) / 2) * rect.height;
    let visible = p.z < 1 && Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1;
    if (visible && mesh) {
      const ray = new THREE.Raycaster();
      ray.setFromCamera(new THREE.Vector2(p.x, p.y), this.camera);
      const hit = ray.intersectObject(mesh, true)[0];
      const d = this.camera.position.distanceTo(point);
      visible = !!hit && Math.abs(hit.distance - d) < Math.max(0.05, d * 0.002);
    }
    return { x, y, visible };
  }

  /** Free the GPU resources (leaving the view). */
  dispose(): void {
    if (this.flight) cancelAnimationFrame(this.flight);
    this.resize.disconnect();
    this.controls.dispose();
    this.scene.traverse((o) => {
      const m = o as THREE.Mesh;
      m.geometry?.dispose();
      const mat = m.material as THREE.Material | THREE.Material[] | undefined;
      if (Array.isArray(mat)) mat.forEach((x) => x.dispose());
      else mat?.dispose();
    });
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.renderer.domElement.remove();
  }
}

/** Keys for a stage (when its canvas or the page has focus): 1 occlusal, 2 front, 3 left, 4 right, 0 reset. */
export function viewKey(key: string): ViewName | undefined {
  return ({ 1: 'occlusal', 2: 'front', 3: 'left', 4: 'right', 0: 'reset' } as Record<string, ViewName>)[key];
}
