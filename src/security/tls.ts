/**
 * The LAN API's certificates: a local CA made on first start, and a server certificate it
 * signs for every name and address clients may use. Practice software pins the CA
 * fingerprint (`cusp` prints it), so no public CA and no internet are involved.
 *
 * The server certificate is renewed when it nears expiry or when the host's names or
 * addresses change; the CA lasts ten years.
 */
import { X509Certificate } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import forge from 'node-forge';
import { isPermitted, nameConstraintsExtension, permittedFor, readPermitted, type PermittedNames } from './name-constraints.js';

export interface TlsPaths {
  certFile: string;
  keyFile: string;
  caFile: string;
  caKeyFile: string;
}

export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
  /** SHA-256 of the CA certificate (DER), as colon-separated hex: what clients pin. */
  caFingerprint: string;
  serverExpiresAt: Date;
  /** What this call created: nothing, the server certificate, or CA and server certificate. */
  created: 'none' | 'server' | 'ca+server';
  /** True when the CA carries name constraints (CAs made by this version do). */
  caNameConstraints: boolean;
  /** Names and addresses of this host the CA may not sign, left out of the server certificate. */
  outsideCa: string[];
}

const SERVER_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;
const CA_YEARS = 10;

function writePrivate(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * A random positive 128-bit certificate serial, as hex. The first byte is 0x01–0x7f: below
 * 0x80 keeps the DER integer positive, and never 0x00, which DER forbids as padding
 * (OpenSSL 3 refuses such a certificate with "illegal padding").
 */
export function certificateSerial(): string {
  const bytes = forge.random.getBytesSync(16);
  const first = (bytes.charCodeAt(0) % 0x7f) + 1;
  return forge.util.bytesToHex(String.fromCharCode(first) + bytes.slice(1));
}

/** The names and addresses the server certificate should cover. */
export function defaultSubjectAltNames(listenHost: string): { dns: string[]; ips: string[] } {
  const dns = new Set<string>(['localhost', hostname()]);
  const ips = new Set<string>(['127.0.0.1', '::1']);
  let interfaces: ReturnType<typeof networkInterfaces> = {};
  try {
    interfaces = networkInterfaces();
  } catch {
    // A sandbox without netlink (a unit missing AF_NETLINK): the certificate still names
    // the host and loopback; LAN clients then need the host name, not the address.
  }
  for (const list of Object.values(interfaces)) {
    for (const iface of list ?? []) if (!iface.internal) ips.add(iface.address.split('%')[0]);
  }
  if (listenHost && listenHost !== '0.0.0.0' && listenHost !== '::') {
    if (/^[\d.]+$/.test(listenHost) || listenHost.includes(':')) ips.add(listenHost);
    else dns.add(listenHost);
  }
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}

function makeCa(permitted: PermittedNames): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 3072 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = certificateSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + CA_YEARS * 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: `Cusp local CA (${hostname()})` }, { name: 'organizationName', value: 'Cusp appliance' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    // Only this host's names and networks: a stolen ca.key vouches for nothing else.
    nameConstraintsExtension(permitted),
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function makeServer(ca: forge.pki.Certificate, caKey: forge.pki.rsa.PrivateKey, sans: { dns: string[]; ips: string[] }) {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = certificateSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + SERVER_DAYS * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: sans.dns.find((d) => d !== 'localhost') ?? 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...sans.dns.map((value) => ({ type: 2, value })), ...sans.ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

/** SHA-256 fingerprint of a PEM certificate, `AB:CD:…`. */
export function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

function serverNeedsRenewal(certPem: string, caPem: string, sans: { dns: string[]; ips: string[] }): boolean {
  const cert = new X509Certificate(certPem);
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_DAYS * 86_400_000) return true;
  if (!cert.verify(new X509Certificate(caPem).publicKey)) return true;
  const altNames = cert.subjectAltName ?? '';
  return sans.dns.some((d) => !altNames.includes(`DNS:${d}`)) || sans.ips.some((ip) => !cert.checkIP(ip));
}

/** Load the CA and server certificate, creating or renewing them as needed. */
export function ensureTls(paths: TlsPaths, sans: { dns: string[]; ips: string[] }): TlsMaterial {
  let created: TlsMaterial['created'] = 'none';
  let caPem: string;
  let caKeyPem: string;
  if (existsSync(paths.caFile) && existsSync(paths.caKeyFile)) {
    caPem = readFileSync(paths.caFile, 'utf8');
    caKeyPem = readFileSync(paths.caKeyFile, 'utf8');
  } else {
    const ca = makeCa(permittedFor(sans));
    caPem = forge.pki.certificateToPem(ca.cert);
    caKeyPem = forge.pki.privateKeyToPem(ca.key);
    writePrivate(paths.caKeyFile, caKeyPem, 0o600);
    writePrivate(paths.caFile, caPem, 0o644);
    created = 'ca+server';
  }
  // A constrained CA signs only names inside its constraints: a certificate naming one
  // outside would fail validation for every client, so such names (a new address on
  // another network) are left out and reported. A CA without constraints — made before
  // Cusp added them, or the clinic's own — is kept as it is: replacing it silently would
  // break every client that pinned it.
  const permitted = readPermitted(forge.pki.certificateFromPem(caPem));
  const outsideCa = permitted ? [...sans.dns.filter((dns) => !isPermitted(permitted, { dns })), ...sans.ips.filter((ip) => !isPermitted(permitted, { ip }))] : [];
  if (permitted) sans = { dns: sans.dns.filter((dns) => isPermitted(permitted, { dns })), ips: sans.ips.filter((ip) => isPermitted(permitted, { ip })) };
  let certPem = existsSync(paths.certFile) ? readFileSync(paths.certFile, 'utf8') : '';
  let keyPem = existsSync(paths.keyFile) ? readFileSync(paths.keyFile, 'utf8') : '';
  if (created !== 'none' || !certPem || !keyPem || serverNeedsRenewal(certPem, caPem, sans)) {
    const server = makeServer(forge.pki.certificateFromPem(caPem), forge.pki.privateKeyFromPem(caKeyPem) as forge.pki.rsa.PrivateKey, sans);
    certPem = forge.pki.certificateToPem(server.cert);
    keyPem = forge.pki.privateKeyToPem(server.key);
    writePrivate(paths.keyFile, keyPem, 0o600);
    writePrivate(paths.certFile, certPem, 0o644);
    if (created === 'none') created = 'server';
  }
  return {
    key: keyPem,
    // The chain a client receives: server certificate, then the CA.
    cert: `${certPem.trim()}\n${caPem.trim()}\n`,
    ca: caPem,
    caFingerprint: fingerprint(caPem),
    serverExpiresAt: new Date(new X509Certificate(certPem).validTo),
    created,
    caNameConstraints: permitted !== undefined,
    outsideCa,
  };
}

