/**
 * A user's `re:` filename rule must not freeze the daemon. JavaScript's regular
 * expressions backtrack: `(a+)+$` on thirty `a`s and a `!` takes seconds, and a rule runs
 * on the thread that also answers the API. So before a rule is saved or tried, its regex
 * runs in a worker thread — on the sample names and on probes built to make a backtracking
 * regex explode (long runs of the characters it names, with a tail that fails the match) —
 * and is refused when that takes longer than the limit. No npm ReDoS checker is installed;
 * this measures what matters (does it finish on file-name-sized input?) instead of
 * judging the pattern's shape.
 */
import { Worker } from 'node:worker_threads';
import { CuspError } from '../errors.js';

/** How long a regex may take on all probes together, from the worker's start of work. */
export const REGEX_TIME_LIMIT_MS = 200;

/** Matching only: no module of Cusp is loaded, so the worker starts in a few milliseconds. */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.source, workerData.flags);
parentPort.postMessage('start');
for (const t of workerData.targets) re.exec(t);
parentPort.postMessage('done');
`;

/** Strings that make backtracking regexes explode: long runs of characters the regex names, then a mismatch. */
export function regexProbes(source: string): string[] {
  const chars = new Set(['a', '0', '_', '-', '.', ' ']);
  for (const c of source.replace(/\\./g, '')) if (/[\w .-]/.test(c)) chars.add(c);
  const probes: string[] = [];
  for (const c of [...chars].slice(0, 40)) {
    for (const n of [32, 255]) probes.push(c.repeat(n), `${c.repeat(n)}!`, `${c.repeat(n)}\u0000`);
  }
  probes.push(`${'a_'.repeat(120)}!`, `${'a0'.repeat(120)}!`, `${'a-'.repeat(120)}!`);
  return probes;
}

/** The strings a rule is matched against for one relative path: the path, its file name, the name without extensions. */
function targetsOf(name: string): string[] {
  const base = name.split('/').pop() ?? name;
  const out = [name, base];
  for (let stem = base; /\.[^.]+$/.test(stem);) {
    stem = stem.replace(/\.[^.]+$/, '');
    out.push(stem);
  }
  return out;
}

/**
 * Resolves when the `re:` rule `spec` matches `names` and the probes within the time limit;
 * throws CuspError('invalid_input') when it does not. Other rules pass at once (presets and
 * patterns are built from fields by Cusp itself).
 */
export async function checkRuleRegex(spec: string, names: readonly string[] = [], limitMs = REGEX_TIME_LIMIT_MS): Promise<void> {
  const text = spec.trim();
  if (!text.startsWith('re:')) return;
  const source = text.slice(3);
  const targets = [...names.flatMap(targetsOf), ...regexProbes(source)];
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { source, flags: 'i', targets }, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (err?: Error) => {
      clearTimeout(timer);
      void worker.terminate();
      if (err) reject(err);
      else resolve();
    };
    worker.on('message', (m) => {
      if (m === 'start') {
        timer = setTimeout(() => finish(new CuspError('invalid_input', `rule ${text}: the regular expression takes longer than ${limitMs} ms on file-name-sized input (it backtracks catastrophically, e.g. nested quantifiers like (a+)+ or (.*_)*) — simplify it: prefer [^_]+ to .* and avoid a quantifier on a group that has one`)), limitMs);
      } else if (m === 'done') finish();
    });
    worker.on('error', (err) => finish(new CuspError('invalid_input', `rule ${text}: the regular expression cannot be run: ${err.message}`)));
    worker.on('exit', () => finish(new CuspError('invalid_input', `rule ${text}: the regular expression check stopped early`)));
  });
}
