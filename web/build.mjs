// The review app's build, the last step of `npm run build`: esbuild bundles web/src into
// dist/web/assets/ (names carry a content hash, so the server can cache them forever) and
// writes dist/web/index.html pointing at them. No CDN, no inline script or style: the page
// runs under the strict Content-Security-Policy of src/api/web-app.ts.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'web');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
const result = await esbuild.build({
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
if (!js || !css) {
  console.error('build-web: esbuild wrote no app script or style sheet');
  process.exit(1);
}
const html = readFileSync(join(root, 'web/index.html'), 'utf8').replace('{{js}}', js).replace('{{css}}', css);
writeFileSync(join(out, 'index.html'), html);
