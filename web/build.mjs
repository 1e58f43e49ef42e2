// The review app's build, the last step of `npm run build` (and part of the single
// executable: installers/build/bundle.mjs calls buildWeb). esbuild bundles web/src into
// <out>/assets/ (names carry a content hash, so the server can cache them forever) and
// writes <out>/index.html pointing at them. No CDN, no inline script or style: the page
// runs under the strict Content-Security-Policy of src/api/web-app.ts.
//
//   node web/build.mjs            → dist/web
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Build the app into `out` (emptied first); returns the asset names. */
export async function buildWeb(out = join(root, 'dist', 'web'), build = esbuild.build) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: { app: join(root, 'web/src/main.ts'), style: join(root, 'web/src/styles.css') },
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: ['chrome120', 'firefox121', 'edge120'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => basename(f));
  const js = outputs.find((f) => /^app-.*\.js$/.test(f));
  const css = outputs.find((f) => /^style-.*\.css$/.test(f));
  if (!js || !css) throw new Error('build-web: esbuild wrote no app script or style sheet');
  const html = readFileSync(join(root, 'web/index.html'), 'utf8').replace('{{js}}', js).replace('{{css}}', css);
  writeFileSync(join(out, 'index.html'), html);
  return { js, css };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildWeb();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
