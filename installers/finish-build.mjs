// The step of `npm run build` after tsc: copies the SQL migrations into dist/ and makes
// dist/daemon/cli.js executable.
import { chmodSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/daemon/cli.js');
if (!existsSync(cli)) {
  console.error('finish-build: dist/daemon/cli.js is missing — the TypeScript build failed');
  process.exit(1);
}
cpSync(join(root, 'src/store/migrations'), join(root, 'dist/src/store/migrations'), { recursive: true });
chmodSync(cli, 0o755);
