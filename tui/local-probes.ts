/**
 * What the console can learn without the daemon's help: the expiry of the certificate the
 * API presents (a TLS handshake, nothing sent), and — on the daemon's own machine — the
 * free space of the data folder. The overview uses them when the API has no answer.
 */
import { statfs } from 'node:fs/promises';
import { connect } from 'node:tls';

/** When the certificate served at host:port expires (ISO), read from a handshake. */
export function certificateExpiry(host: string, port: number, timeoutMs = 3000): Promise<{ expiresAt: string; subject: string }> {
  // 0.0.0.0 / :: mean "every address": the daemon answers on loopback too.
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target, port, servername: /^[\d.:]+$/.test(target) ? undefined : target, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      if (!cert?.valid_to) return reject(new Error(`no certificate from ${target}:${port}`));
      resolve({ expiresAt: new Date(cert.valid_to).toISOString(), subject: cert.subject?.CN ?? '' });
    });
    socket.on('timeout', () => {
      socket.destroy();
      reject(new Error(`no TLS answer from ${target}:${port}`));
    });
    socket.on('error', reject);
  });
}

/** Free and total bytes of the file system holding `path`. */
export async function diskSpace(path: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const s = await statfs(path);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
