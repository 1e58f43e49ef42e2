/**
 * What the console knows about the machine it runs on, beyond the API: where the API's
 * certificate can be read, the data folder (for its free space) and how to run the `cusp`
 * CLI here (for key rotation, which the CLI does so that the console never holds a key).
 * Empty for a remote console.
 */
import { spawn } from 'node:child_process';
import { createContext, useContext } from 'react';

export interface Site {
  /** Host and port of the HTTPS listener. */
  tls?: { host: string; port: number };
  /** The data folder, when the console runs on the daemon's machine. */
  dataDir?: string;
  /** The `cusp` executable as argv (node + script, or the single executable), and the config it was given. */
  cli?: { argv: string[]; config?: string };
}

export const SiteContext = createContext<Site>({});

export function useSite(): Site {
  return useContext(SiteContext);
}

/** Run `cusp <args…>` with the console's config; resolves to its output, rejects with its stderr. */
export function runCli(cli: NonNullable<Site['cli']>, args: string[]): Promise<string> {
  const [command, ...pre] = cli.argv;
  const all = [...pre, ...args, ...(cli.config ? ['--config', cli.config] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(command, all, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out.trim());
      else reject(new Error(err.trim().split('\n').pop() || `cusp ${args.join(' ')} exited with ${code}`));
    });
  });
}
