/**
 * The local CA's name constraints (RFC 5280 4.2.1.10): the CA may vouch only for this
 * host's names and its networks' addresses. A client that pins the CA then trusts nothing
 * else it could sign — a stolen ca.key cannot impersonate the clinic's other servers or
 * public sites. node-forge reads the extension but does not write it, so its DER is built
 * here with forge.asn1.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import forge from 'node-forge';

const { asn1 } = forge;

/** What the CA may sign: DNS names (and their subdomains) and address ranges. */
export interface PermittedNames {
  dns: string[];
  /** CIDR ranges, e.g. 192.168.10.0/24, ::1/128. */
  ips: string[];
}

export const NAME_CONSTRAINTS_OID = '2.5.29.30';

/** The prefix length of each local address's network, from the interfaces (32/128 when unknown). */
function prefixOf(ip: string): number {
  if (ip.startsWith('127.')) return 8;
  try {
    for (const list of Object.values(networkInterfaces())) {
      for (const iface of list ?? []) if (iface.address.split('%')[0] === ip && iface.cidr) return Number(iface.cidr.split('/')[1]);
    }
  } catch {
    // no netlink in a sandbox: the address alone
  }
  return isIP(ip) === 6 ? 128 : 32;
}

/** The names a new CA is constrained to: the server certificate's names, and the networks of its addresses. */
export function permittedFor(sans: { dns: string[]; ips: string[] }): PermittedNames {
  const ips = new Set(sans.ips.map((ip) => {
    const bits = prefixOf(ip);
    return `${networkOf(ip, bits)}/${bits}`;
  }));
  return { dns: [...new Set(sans.dns)].sort(), ips: [...ips].sort() };
}

/** An address as bytes (4 or 16). */
function ipBytes(ip: string): number[] {
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  const [head, tail = ''] = ip.split('::');
  const part = (s: string) => (s ? s.split(':') : []);
  const words = [...part(head), ...Array(8 - part(head).length - part(tail).length).fill('0'), ...part(tail)].map((w) => parseInt(w, 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function maskBytes(length: number, bits: number): number[] {
  return Array.from({ length }, (_, i) => (bits >= (i + 1) * 8 ? 0xff : bits <= i * 8 ? 0 : (0xff << (8 - (bits - i * 8))) & 0xff));
}

function networkOf(ip: string, bits: number): string {
  const bytes = ipBytes(ip);
  const net = bytes.map((b, i) => b & maskBytes(bytes.length, bits)[i]);
  if (net.length === 4) return net.join('.');
  const words = Array.from({ length: 8 }, (_, i) => ((net[2 * i] << 8) | net[2 * i + 1]).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const bin = (bytes: number[]) => String.fromCharCode(...bytes);

/** The extension for forge's `setExtensions`: critical, permitted subtrees only. */
export function nameConstraintsExtension(permitted: PermittedNames): { id: string; critical: boolean; value: forge.asn1.Asn1 } {
  const subtree = (name: forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [name]);
  const trees = [
    ...permitted.dns.map((d) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, d))),
    ...permitted.ips.map((cidr) => {
      const [ip, bits] = cidr.split('/');
      const bytes = ipBytes(ip);
      return subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, bin([...bytes, ...maskBytes(bytes.length, Number(bits))])));
    }),
  ];
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, trees)]);
  return { id: NAME_CONSTRAINTS_OID, critical: true, value };
}

/**
 * The CA's permitted names, read back from its certificate, or undefined when it has none
 * (a CA made before Cusp constrained them, or the clinic's own).
 */
export function readPermitted(ca: forge.pki.Certificate): PermittedNames | undefined {
  const ext = ca.getExtension('nameConstraints') as unknown as { permittedSubtrees?: Array<{ type: number; value: string }> } | null;
  if (!ext?.permittedSubtrees) return undefined;
  const out: PermittedNames = { dns: [], ips: [] };
  for (const t of ext.permittedSubtrees) {
    if (t.type === 2) out.dns.push(t.value);
    if (t.type === 7) {
      const bytes = [...t.value].map((c) => c.charCodeAt(0));
      const half = bytes.length / 2;
      const addr = bytes.slice(0, half);
      const bits = bytes.slice(half).reduce((n, b) => n + b.toString(2).replace(/0/g, '').length, 0);
      const text = half === 4 ? addr.join('.') : networkOf(Array.from({ length: 8 }, (_, i) => ((addr[2 * i] << 8) | addr[2 * i + 1]).toString(16)).join(':'), bits);
      out.ips.push(`${text}/${bits}`);
    }
  }
  return out;
}

/** True when the CA's constraints allow the name (`dns`) or address (`ip`). */
export function isPermitted(permitted: PermittedNames, name: { dns?: string; ip?: string }): boolean {
  if (name.dns !== undefined) {
    const d = name.dns.toLowerCase();
    return permitted.dns.some((b) => d === b.toLowerCase() || d.endsWith(`.${b.toLowerCase().replace(/^\./, '')}`));
  }
  const bytes = ipBytes(name.ip!);
  return permitted.ips.some((cidr) => {
    const [ip, bits] = cidr.split('/');
    const base = ipBytes(ip);
    if (base.length !== bytes.length) return false;
    const mask = maskBytes(bytes.length, Number(bits));
    return bytes.every((b, i) => (b & mask[i]) === (base[i] & mask[i]));
  });
}
