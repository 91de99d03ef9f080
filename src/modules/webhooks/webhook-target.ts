import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { invalid } from '../../errors/app-error.js';

/**
 * Addresses a webhook must never reach from the gateway: loopback, private, link-local
 * (cloud metadata lives there), carrier-grade NAT, unspecified, multicast and their
 * IPv6 counterparts. IPv4-mapped IPv6 addresses are checked as the IPv4 they carry.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Checks a webhook URL when it is submitted: absolute, HTTPS, no credentials, and not a
 * literal private address or a local name. Names are resolved again at delivery time
 * (see `guardedLookup`), since DNS may change between the two.
 */
export function validateWebhookUrl(raw: string, allowPrivate: boolean, field = 'webhookUrl'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid('webhook URL must be an absolute URL', field);
  }
  if (raw.length > 2000) throw invalid('webhook URL must be at most 2000 characters', field);
  if (url.username || url.password) throw invalid('webhook URL must not carry credentials', field);
  if (allowPrivate) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('webhook URL must be an HTTP(S) URL', field);
    return url.toString();
  }
  if (url.protocol !== 'https:') throw invalid('webhook URL must be an HTTPS URL', field);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) ? isPrivateAddress(host) : /(^|\.)(localhost|local|internal|localdomain)$/i.test(host) || !host.includes('.')) {
    throw invalid('webhook URL must point at a public address', field);
  }
  return url.toString();
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that refuses private targets after resolving, so the
 * address checked is the address connected to (no window for DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (refused) {
        const e: NodeJS.ErrnoException = new Error(`webhook target ${hostname} resolves to a private address (${refused.address})`);
        e.code = 'EPRIVATETARGET';
        return callback(e, []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
