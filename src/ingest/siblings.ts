/**
 * The files a scan brings along: an OBJ's material libraries and their textures, a
 * glTF's external buffers and images. The ingest service reads them from beside the scan,
 * stores them with it, and removes them from the drop folder with it.
 */

const TEXT = new TextDecoder('utf-8');

/** One spelling per sibling: `./a.mtl`, `a.mtl` and `sub\\..\\a.mtl` all name `a.mtl`. */
export function normalizeUri(uri: string): string {
  const out: string[] = [];
  for (const part of uri.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function lines(bytes: Uint8Array): string[] {
  return TEXT.decode(bytes).split(/\r?\n/);
}

/** `mtllib` names of an OBJ (a name may contain spaces when it is the only one on the line). */
export function objMaterialLibraries(obj: Uint8Array): string[] {
  const out: string[] = [];
  for (const line of lines(obj)) {
    const m = /^\s*mtllib\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const rest = m[1];
    // "mtllib a.mtl b.mtl" lists several; "mtllib my file.mtl" is one name with a space.
    const parts = rest.split(/\s+/);
    if (parts.length > 1 && parts.every((p) => /\.mtl$/i.test(p))) out.push(...parts);
    else out.push(rest);
  }
  return [...new Set(out)];
}

/** Texture files an MTL references (map_Kd, map_Ka, bump, …), options like `-s 1 1 1` skipped. */
export function mtlTextures(mtl: Uint8Array): string[] {
  const out: string[] = [];
  for (const line of lines(mtl)) {
    const m = /^\s*(map_\w+|bump|disp|decal|refl|norm)\s+(.+?)\s*$/i.exec(line);
    if (!m) continue;
    const tokens = m[2].split(/\s+/);
    let i = 0;
    // Options take 1–3 numeric or on/off values; the file name is what remains.
    while (i < tokens.length && tokens[i].startsWith('-')) {
      i++;
      while (i < tokens.length && /^(-?[\d.]+|on|off)$/i.test(tokens[i]) && i < tokens.length - 1) i++;
    }
    const name = tokens.slice(i).join(' ');
    if (name) out.push(name);
  }
  return [...new Set(out)];
}

/** External buffer and image URIs of a .gltf (data: URIs are embedded, not files). */
export function gltfExternalUris(gltf: Uint8Array): string[] {
  let doc: { buffers?: Array<{ uri?: unknown }>; images?: Array<{ uri?: unknown }> };
  try {
    doc = JSON.parse(TEXT.decode(gltf)) as typeof doc;
  } catch {
    return []; // the reader will reject it with a precise message
  }
  const uris = [...(doc.buffers ?? []), ...(doc.images ?? [])]
    .map((x) => x?.uri)
    .filter((u): u is string => typeof u === 'string' && !u.startsWith('data:'));
  return [...new Set(uris)];
}

/**
 * The sibling files a scan file names, as URIs relative to its folder, in two groups:
 * what the mesh reader needs (`read`) and what only travels with the scan (`extra`).
 */
export function siblingUris(name: string, bytes: Uint8Array, readSibling: (uri: string) => Uint8Array | undefined): { read: string[]; extra: string[] } {
  const lower = name.toLowerCase();
  if (lower.endsWith('.obj')) {
    const read = objMaterialLibraries(bytes);
    const extra = read.flatMap((uri) => {
      const mtl = readSibling(uri);
      return mtl ? mtlTextures(mtl).map((t) => joinUri(uri, t)) : [];
    });
    return { read: unique(read), extra: unique(extra) };
  }
  if (lower.endsWith('.gltf')) {
    const uris = gltfExternalUris(bytes);
    const image = (u: string) => /\.(png|jpe?g|webp|ktx2)$/i.test(u);
    return { read: unique(uris.filter((u) => !image(u))), extra: unique(uris.filter(image)) };
  }
  return { read: [], extra: [] };
}

function unique(uris: string[]): string[] {
  return [...new Set(uris.map(normalizeUri))];
}

/** A URI relative to another file's folder (`sub/a.mtl` + `tex.jpg` → `sub/tex.jpg`). */
function joinUri(base: string, uri: string): string {
  const slash = base.lastIndexOf('/');
  return slash < 0 ? uri : `${base.slice(0, slash + 1)}${uri}`;
}
