/**
 * OBJ's grouping state (`g`, `o`, `usemtl`) turned into triangle ranges: a new group starts
 * when a face follows a change of group/object name or material; consecutive ranges with
 * the same name and material stay one group, as OBJ identifies groups by name.
 */
import type { MeshGroup } from '../mesh.js';

export class ObjGroups {
  /** Finished groups, in triangle order. */
  readonly list: MeshGroup[] = [];
  /** Material names in order of first `usemtl` (group.material indexes this). */
  readonly materialNames: string[] = [];
  private group = '';
  private object = '';
  private material = -1;
  private changed = false;
  private open: MeshGroup | undefined;

  setGroup(name: string): void {
    this.group = name;
    this.changed = true;
  }

  setObject(name: string): void {
    this.object = name;
    this.changed = true;
  }

  useMaterial(name: string): void {
    let i = this.materialNames.indexOf(name);
    if (i < 0) i = this.materialNames.push(name) - 1;
    this.material = i;
    this.changed = true;
  }

  /** Called before the triangles of a face are added; `triangles` is the count so far. */
  beginTriangles(triangles: number): void {
    if (!this.changed && this.open) return;
    this.changed = false;
    const name = this.group || this.object;
    if (this.open && this.open.name === name && this.open.material === this.material) return;
    this.close(triangles);
    this.open = { name, material: this.material, start: triangles, count: 0 };
  }

  /** Finish the open group at `triangles` triangles. */
  close(triangles: number): void {
    const g = this.open;
    if (!g) return;
    g.count = triangles - g.start;
    if (g.count > 0) this.list.push(g);
    this.open = undefined;
  }
}
