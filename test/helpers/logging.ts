// A real logger writing JSON lines into memory, for tests that assert on what was logged.
import { PassThrough } from 'node:stream';
import { createLogging, type Logging } from '../../src/log/index.js';

export interface CapturedLogging {
  logging: Logging;
  lines(): Array<Record<string, unknown>>;
  text(): string;
}

export function captureLogging(level: 'debug' | 'info' = 'debug'): CapturedLogging {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const logging = createLogging({ level, format: 'json', stream, isTTY: false, env: {} });
  return {
    logging,
    text: () => text,
    lines: () => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
