// The README's command table matches the CLI: every command `cusp help` lists has a row,
// and every option its --help usage names appears in that row. A command or flag added
// without its documentation fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../helpers/daemon.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the table under "## Commands", each as its first cell's text. */
function commandRows(): string[] {
  const section = README.slice(README.indexOf('## Commands'), README.indexOf('\n## ', README.indexOf('## Commands') + 5));
  return section.split('\n').filter((l) => l.startsWith('| `cusp ')).map((l) => l.split(/(?<!\\)\|/)[1].replace(/\\\|/g, '|'));
}

test('every command of `cusp help` has a README row naming each option of its usage', async () => {
  const help = await runCli(['help']);
  assert.equal(help.code, 0, help.stderr);
  const commands = [...help.stdout.matchAll(/^ {2}cusp ([a-z-]+(?: [a-z-]+)?)\s{2,}/gm)].map((m) => m[1]);
  assert.ok(commands.length >= 15, `cusp help lists the commands:\n${help.stdout}`);
  const rows = commandRows();
  const missing: string[] = [];
  for (const command of commands) {
    const row = rows.find((r) => r.includes(`cusp ${command} `) || r.includes(`cusp ${command}\``) || (command.includes(' ') && r.includes(`cusp ${command.split(' ')[0]} `) && r.includes(command.split(' ')[1])));
    if (!row) {
      missing.push(`no row for cusp ${command}`);
      continue;
    }
    const usage = await runCli([...command.split(' '), '--help']);
    const line = usage.stdout.split('\n').filter((l) => /^\s*(usage: )?cusp /.test(l)).join(' ');
    // --config is on every command and said once above the table.
    for (const option of new Set(line.match(/--[a-z][a-z-]*/g) ?? [])) {
      if (option !== '--config' && option !== '--help' && !row.includes(option)) missing.push(`cusp ${command}: ${option} not in its row`);
    }
  }
  assert.deepEqual(missing, [], 'the README command table is behind the CLI');
});
