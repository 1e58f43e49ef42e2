import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { checkConfig, describeConfig, locateConfig } from '../../src/config/index.js';
import type { CommandRunner } from '../command.js';

export const configCheck: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, print: { type: 'boolean' }, try: { type: 'string', multiple: true }, folder: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
    const opts = { flag: values.config, env: io.env, cwd: process.cwd() };
    const { problems, warnings, loaded } = checkConfig(opts);
    for (const w of warnings) io.stderr.write(`warning: ${w.path}: ${w.message}\n`);
    if (!loaded) {
      for (const p of problems) io.stderr.write(`${p.path}: ${p.message}\n`);
      io.stderr.write(`${describeConfig(locateConfig(opts))}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
      return 1;
    }
    const ok = `config OK: ${loaded.path ?? 'built-in default'}`;
    // With --print, stdout stays valid YAML: the OK line becomes a comment. The config
    // holds paths and settings only (keys live in files), so it is safe to print.
    if (values.print) io.stdout.write(`# ${ok}\n${stringify(loaded.config)}`);
    else io.stdout.write(`${ok}\n`);
    if (values.try?.length) {
      // Loaded only when asked: the rules and their XML/HTML readers.
      const { trySample, describeSample } = await import('./identity-sample.js');
      const results = values.try.map((sample) => trySample(loaded.config, sample, values.folder));
      io.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : results.map(describeSample).join(''));
    }
    return 0;
  },
};
