/**
 * `cusp convert IN OUT [--ascii]`: read any mesh Cusp accepts and write it as STL, PLY,
 * OBJ (+ its .mtl), GLB or glTF, chosen by OUT's extension. Sibling files of IN (an OBJ's
 * .mtl, a glTF's .bin) are read from IN's folder and never from outside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve as resolvePath, isAbsolute } from 'node:path';
import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { MeshFormat } from '../../src/mesh/mesh.js';
import { readMesh } from '../../src/mesh/read/index.js';
import { weldKeepingSeams } from '../../src/mesh/weld.js';
import { writeMesh, writeObj } from '../../src/mesh/write/index.js';
import { readScanFile } from '../../src/jobs/scan-file.js';
import type { CommandRunner } from '../command.js';


const OUTPUT_FORMATS: readonly MeshFormat[] = ['stl', 'ply', 'obj', 'glb', 'gltf'];

export const convert: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ascii: { type: 'boolean', default: false }, config: { type: 'string' } },
    });
    if (positionals.length !== 2) throw new CuspError('bad_request', 'convert needs IN and OUT — usage: cusp convert IN OUT [--ascii]');
    const [inPath, outPath] = positionals;
    const format = extname(outPath).slice(1).toLowerCase() as MeshFormat;
    if (!OUTPUT_FORMATS.includes(format)) {
      throw new CuspError('bad_request', `cannot tell the output format from '${basename(outPath)}' — end OUT in .stl, .ply, .obj, .glb or .gltf`);
    }
    if (values.ascii && format !== 'stl' && format !== 'ply') {
      throw new CuspError('bad_request', `--ascii applies to .stl and .ply output only, not .${format}`);
    }

    const bytes = readScanFile(inPath);
    const result = await readMesh({ bytes, name: basename(inPath), resolve: siblingReader(inPath) });
    for (const warning of result.warnings) io.stderr.write(`warning: ${basename(inPath)}: ${warning}\n`);
    // What the file will hold: PLY, OBJ and glTF share vertices (the writers weld the same
    // way again, which for a welded mesh is one quick pass), STL keeps three per triangle.
    const mesh = format === 'stl' ? result.mesh : weldKeepingSeams(result.mesh).mesh;

    const written: string[] = [outPath];
    if (format === 'obj') {
      const mtlName = `${basename(outPath, extname(outPath))}.mtl`;
      const { obj, mtl } = writeObj(mesh, { mtlName });
      writeOutput(outPath, obj);
      if (mtl) {
        const mtlPath = join(dirname(outPath), mtlName);
        writeOutput(mtlPath, mtl);
        written.push(mtlPath);
      }
    } else {
      writeOutput(outPath, writeMesh(mesh, format, { ascii: values.ascii, name: basename(inPath, extname(inPath)) }));
    }
    const triangles = mesh.indices.length / 3;
    const vertices = format === 'stl' ? 3 * triangles : mesh.positions.length / 3;
    io.stdout.write(
      `${written.join(' + ')}: ${triangles} triangles, ${vertices} vertices (from ${result.format} ${result.variant})\n`,
    );
    return 0;
  },
};


function writeOutput(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new CuspError('invalid_input', `cannot write ${path}: ${why}`, { cause: err });
  }
}

/** Reads a file named by a relative URI from IN's folder (or below it); anything else is "missing". */
function siblingReader(inPath: string): (uri: string) => Uint8Array | undefined {
  const folder = resolvePath(dirname(inPath));
  return (uri) => {
    const target = resolvePath(folder, uri);
    const rel = relative(folder, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    try {
      return new Uint8Array(readFileSync(target));
    } catch {
      return undefined;
    }
  };
}
