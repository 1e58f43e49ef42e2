/** GLB bytes from the API into one three.js geometry (Cusp's GLBs hold one mesh). */
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

/** The first mesh's geometry of a GLB. */
export function parseGlb(bytes: ArrayBuffer): Promise<THREE.BufferGeometry> {
  return new Promise((resolve, reject) => {
    new GLTFLoader().parse(bytes, '', (gltf) => {
      let found: THREE.BufferGeometry | undefined;
      gltf.scene.traverse((o) => {
        if (!found && (o as THREE.Mesh).isMesh) found = (o as THREE.Mesh).geometry;
      });
      if (!found) reject(new Error('the GLB holds no mesh'));
      else {
        if (!found.getAttribute('normal')) found.computeVertexNormals();
        found.computeBoundingBox();
        resolve(found);
      }
    }, (err) => reject(err instanceof Error ? err : new Error(String(err))));
  });
}

/** A mesh of `geometry` in an ivory matt material (or its vertex colours). */
export function scanMesh(geometry: THREE.BufferGeometry, options: { vertexColors?: boolean; color?: number } = {}): THREE.Mesh {
  const material = new THREE.MeshStandardMaterial({
    color: options.vertexColors ? 0xffffff : options.color ?? 0xeee6d6,
    vertexColors: options.vertexColors ?? false,
    roughness: 0.75, metalness: 0, side: THREE.DoubleSide,
    polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1,
  });
  return new THREE.Mesh(geometry, material);
}
