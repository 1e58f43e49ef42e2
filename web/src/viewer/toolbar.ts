/** The view buttons above a stage, and the small read-only hook tests and support use. */
import * as THREE from 'three';
import { h } from '../dom.js';
import type { Stage, ViewName } from './stage.js';

const VIEWS: Array<[ViewName, string, string]> = [
  ['occlusal', 'Occlusal', '1'], ['front', 'Front', '2'], ['left', 'Left', '3'], ['right', 'Right', '4'], ['reset', 'Reset', '0'],
];

/** Buttons for the standard views of `stages` (all of them move together anyway when linked). */
export function viewToolbar(stage: Stage, ...extra: HTMLElement[]): HTMLElement {
  return h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Views' },
    ...VIEWS.map(([name, label, key]) => h('button', { type: 'button', 'data-view': name, title: `${label} view (key ${key})`, onclick: () => stage.view(name) }, label)),
    ...extra);
}

/**
 * `window.cuspReview.project([x, y, z])`: where a point of the scan shows on the canvas and
 * whether it is visible (document coordinates, CSS pixels) — what the browser tests check
 * the heat map's colours with.
 */
export function exposeForTests(target: { stage: Stage; mesh: () => THREE.Object3D | undefined }): () => void {
  const w = window as unknown as { cuspReview?: unknown };
  w.cuspReview = {
    project: (p: [number, number, number]) => {
      const r = target.stage.project(new THREE.Vector3(...p), target.mesh());
      const rect = target.stage.renderer.domElement.getBoundingClientRect();
      // Document coordinates (what a full-page screenshot's clip uses), whatever the scroll.
      return { x: r.x + rect.left + window.scrollX, y: r.y + rect.top + window.scrollY, visible: r.visible };
    },
    view: (name: ViewName) => {
      target.stage.view(name);
      target.stage.renderNow();
    },
  };
  return () => {
    delete w.cuspReview;
    delete document.body.dataset.viewReady;
  };
}
