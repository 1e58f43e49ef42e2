/**
 * The OpenAPI document without a running daemon: the route declarations are built over a
 * throwaway encrypted store in a temp folder (some routes prepare their statements when
 * they are declared) and turned into the document. `npm run lint:openapi` lints what this
 * prints; run it as a program to get the document on stdout, or with `--types` the client's
 * types (`npm run gen:api-types` writes them to src/api/api-types.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../config/index.js';
import { EventBus } from '../events/bus.js';
import { openStore } from '../store/store.js';
import { openApiDocument } from './openapi.js';
import { allRoutes } from './routes/index.js';
import type { ApiServices } from './services.js';

/** The package's version, as the daemon reports it. */
function packageVersion(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf('/src/api/'));
  return (JSON.parse(readFileSync(join(root.replace(/\/dist$/, ''), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The document the daemon serves at /api/v1/openapi.json, built without one. */
export function dumpOpenApi(version = packageVersion()): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'cusp-openapi-'));
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  try {
    const services = { config: configSchema.parse({ dataDir: dir }), store, bus: new EventBus(), version } as Partial<ApiServices> as ApiServices;
    return openApiDocument(allRoutes(services), version);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * TypeScript types of every operation's path, query, body and answers, made from the
 * document by openapi-typescript (a development tool: loaded only when asked for).
 */
export async function apiTypesSource(): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(dumpOpenApi('generated') as never, { exportType: false, alphabetize: true });
  const header = [
    '/**',
    ' * The API\'s types, generated from the OpenAPI document (itself made from the route',
    ' * declarations) by openapi-typescript: `npm run gen:api-types`. Do not edit by hand —',
    ' * test/api/client-types.test.ts fails when this file and the routes disagree.',
    ' */',
  ].join('\n');
  return `${header}\n${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--types')) process.stdout.write(await apiTypesSource());
  else process.stdout.write(`${JSON.stringify(dumpOpenApi(), null, 2)}\n`);
}
