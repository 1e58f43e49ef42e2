/**
 * The one schema of Cusp's configuration, with every default in code.
 *
 * Two stages: `configFileSchema` is what a config file may say (strict: an unknown key is
 * an error, so a typo cannot silently fall back to a default); `configSchema` adds the
 * defaults that follow from other keys — paths under `dataDir`, folder names, quarantine
 * folders, the job concurrency of this machine. Paths stay as written here; `load.ts`
 * makes them absolute.
 */
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { CuspError } from '../errors.js';
import { z } from 'zod';
import { LOG_LEVELS } from '../log/levels.js';
import { ruleProblem } from './folder-rule.js';
import { parseSchedule } from './schedule.js';

/** Marks the string fields that hold file-system paths (resolved relative to the config file). */
export const pathFields = z.registry<{ kind: 'path' }>();

const path = () => z.string().min(1, 'must not be empty').register(pathFields, { kind: 'path' });

const whole = (min: number, max?: number) => {
  const atLeast = z.number().int('must be a whole number').min(min, `must be at least ${min}`);
  return max === undefined ? atLeast : atLeast.max(max, `must be at most ${max}`);
};
const positive = () => z.number().positive('must be greater than 0');

const folderSchema = z.strictObject({
  path: path(),
  name: z.string().regex(/^[^/\\]+$/, 'must be a plain name without slashes').refine((n) => n !== '.' && n !== '..', 'must be a plain name').optional(),
  rule: z.string().min(1, 'must not be empty').superRefine((rule, ctx) => {
    const problem = ruleProblem(rule);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).default('generic'),
  layout: z.enum(['flat', 'patient-subfolder']).default('flat'),
  profile: z.enum(['scan', 'solid']).default('scan'),
  after: z.enum(['delete', 'archive', 'keep']).default('delete'),
  archiveDir: path().optional(),
  quarantineDir: path().optional(),
  polling: z.boolean().default(false),
  pollIntervalSeconds: positive().default(5),
  stabilitySeconds: positive().default(2),
  rescanMinutes: positive().default(5),
  paused: z.boolean().default(false),
});

const level = z.enum(LOG_LEVELS);

/** What a config file may contain; every key optional, unknown keys refused. */
export const configFileSchema = z.strictObject({
  dataDir: path().default('./cusp-data'),
  store: z.strictObject({
    path: path().optional(),
    keyFile: path().optional(),
    credentialName: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a systemd credential name (letters, digits, . _ -)').default('cusp.key'),
    // Unset: 1024 MB, but at most a tenth of the data disk (a small test disk still takes scans).
    minFreeMegabytes: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional(),
    integrityCheckHours: z.number().min(0, 'must be 0 (off) or more').default(24),
    integrityCheckDelayMinutes: z.number().min(0, 'must be 0 or more').default(10),
  }).prefault({}),
  api: z.strictObject({
    host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
    port: whole(1, 65535).default(8443),
    tls: z.strictObject({
      certFile: path().optional(),
      keyFile: path().optional(),
      caFile: path().optional(),
      caKeyFile: path().optional(),
      clientCaFile: path().optional(),
    }).prefault({}),
    adminSocket: path().optional(),
    maxUploadBytes: whole(1).default(1073741824),
    // Uploads stream to temp files in <dataDir>/uploads/: this bounds their disk use and the
    // work of checking and storing them; one more is refused with 503 before its body is read.
    maxConcurrentUploads: whole(1, 64).default(4),
    tokenTtlDays: whole(1).default(90),
    headersTimeoutSeconds: positive().default(30),
    requestTimeoutSeconds: z.number().min(0, 'must be 0 (no limit) or more').default(3600),
    idleTimeoutSeconds: positive().default(5),
    minUploadBytesPerSecond: z.number().min(0, 'must be 0 (no check) or more').default(10240),
    publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://cusp.clinic.lan:8443' }).optional(),
  }).prefault({}),
  audit: z.strictObject({
    checkpointEvery: whole(1).default(1000),
    checkpointMinutes: positive().default(10),
    checkpointFile: path().optional(),
    signingKeyFile: path().optional(),
    // A syslog collector every signed checkpoint is sent to (RFC 5424 over TLS, RFC 5425):
    // a copy outside this server that `cusp audit verify --against` can check the trail with.
    // Off while host is not set.
    syslog: z.strictObject({
      host: z.string().min(1, 'must not be empty').optional(),
      port: whole(1, 65535).default(6514),
      caFile: path().optional(),
      certFile: path().optional(),
      keyFile: path().optional(),
      serverName: z.string().min(1, 'must not be empty').optional(),
      hostname: z.string().min(1, 'must not be empty').optional(),
      queueSize: whole(1, 1_000_000).default(1000),
      reconnectMinSeconds: positive().default(1),
      reconnectMaxSeconds: positive().default(300),
    }).refine((s) => (s.certFile === undefined) === (s.keyFile === undefined), 'certFile and keyFile go together (a client certificate and its key)').optional(),
  }).prefault({}),
  folders: z.array(folderSchema).optional(),
  folderRoots: z.array(path()).min(1, 'must name at least one folder').optional(),
  jobs: z.strictObject({
    concurrency: whole(1, 256).optional(),
    timeoutSeconds: positive().default(900),
    maxAttempts: whole(1).default(3),
    retryBackoffSeconds: z.number().min(0, 'must be 0 or more').default(10),
    priority: z.enum(['idle', 'low']).default('idle'),
  }).prefault({}),
  backup: z.strictObject({
    dir: path().optional(),
    schedule: z.string().superRefine((text, ctx) => {
      const parsed = parseSchedule(text);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    }).default('off'),
    keep: whole(1).default(7),
  }).prefault({}),
  retention: z.strictObject({
    scansYears: whole(1).default(10),
    auditYears: whole(1).default(10),
  }).prefault({}),
  console: z.strictObject({
    idleLockMinutes: positive().default(15),
  }).prefault({}),
  review: z.strictObject({
    // HIPAA automatic logoff: a browser session with no request for this long ends.
    idleLogoffMinutes: positive().default(15),
  }).prefault({}),
  log: z.strictObject({
    level: level.default('info'),
    levels: z.strictObject({
      daemon: level.optional(),
      store: level.optional(),
      audit: level.optional(),
      ingest: level.optional(),
      jobs: level.optional(),
      api: level.optional(),
      tui: level.optional(),
      mesh: level.optional(),
    }).prefault({}),
    format: z.enum(['auto', 'json', 'text']).default('auto'),
    file: path().optional(),
  }).prefault({}),
});

export type ConfigFile = z.output<typeof configFileSchema>;
type FolderFile = z.output<typeof folderSchema>;

/** The default job concurrency: leave one core to the API and ingest. */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** A folder's defaults that depend on its path and the data folder. */
function deriveFolder(f: FolderFile, dataDir: string) {
  const name = f.name ?? (basename(f.path) || 'root');
  return { ...f, name, quarantineDir: f.quarantineDir ?? join(dataDir, 'quarantine', name) };
}

/** Fills every default that depends on another key. */
function derive(file: ConfigFile) {
  const under = (...parts: string[]): string => join(file.dataDir, ...parts);
  const folder = (f: FolderFile) => deriveFolder(f, file.dataDir);
  const tls = file.api.tls;
  return {
    ...file,
    store: { ...file.store, path: file.store.path ?? under('cusp.db'), keyFile: file.store.keyFile ?? under('cusp.key') },
    api: {
      ...file.api,
      tls: {
        ...tls,
        certFile: tls.certFile ?? under('tls', 'server.crt'),
        keyFile: tls.keyFile ?? under('tls', 'server.key'),
        caFile: tls.caFile ?? under('tls', 'ca.crt'),
        caKeyFile: tls.caKeyFile ?? under('tls', 'ca.key'),
      },
      adminSocket: file.api.adminSocket ?? under('cusp.sock'),
    },
    audit: {
      ...file.audit,
      checkpointFile: file.audit.checkpointFile ?? under('audit', 'checkpoints.jsonl'),
      signingKeyFile: file.audit.signingKeyFile ?? under('audit', 'signing.key'),
    },
    folders: (file.folders ?? [folderSchema.parse({ path: under('inbox') })]).map(folder),
    jobs: { ...file.jobs, concurrency: file.jobs.concurrency ?? defaultConcurrency() },
    backup: { ...file.backup, dir: file.backup.dir ?? under('backups') },
  };
}

/** The full schema: a config file's content in, the complete configuration out. */
export const configSchema = configFileSchema.transform(derive);

/** Cusp's configuration, every default filled in (paths absolute once loaded). */
export type CuspConfig = z.output<typeof configSchema>;
/** One watched folder of the configuration. */
export type FolderConfig = CuspConfig['folders'][number];

/**
 * One watched folder's settings as given at runtime (API, console): validated with the
 * config file's rules and completed with the same defaults. Paths must be absolute.
 * Throws CuspError('invalid_input') naming every problem.
 */
export function parseFolderSettings(input: unknown, dataDir: string): FolderConfig {
  const result = folderSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'folder'}: ${i.message}`);
    throw new CuspError('invalid_input', `the folder settings are not valid: ${problems.join('; ')}`, { details: { problems } });
  }
  const f = result.data;
  for (const key of ['path', 'archiveDir', 'quarantineDir'] as const) {
    const value = f[key];
    if (value !== undefined && !isAbsolute(value)) throw new CuspError('invalid_input', `${key} must be an absolute path, not ${value}`);
  }
  if (f.after === 'archive' && !f.archiveDir) throw new CuspError('invalid_input', 'archiveDir is required when after is archive');
  return deriveFolder(f, dataDir) as FolderConfig;
}
