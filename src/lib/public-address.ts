import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/*
 * The one answer to "may the gateway connect here?", for webhook targets and HTTP agent
 * endpoints alike: at submission (literal addresses, local names) and after DNS (every
 * address a name resolves to). ipaddr.js names the special ranges (IANA's registries);
 * what it does not name or names too coarsely is spelled out below.
 */

export type AddressVerdict = { public: true } | { public: false; reason: string };

const PUBLIC: AddressVerdict = { public: true };
const refused = (reason: string): AddressVerdict => ({ public: false, reason });

/** Ranges that need more than ipaddr.js's range name: checked before it, in this order. */
const NAT64_LOCAL_USE = ipaddr.parseCIDR('64:ff9b:1::/48'); // RFC 8215: the domain chose where the IPv4 sits
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96'); // RFC 6052: the IPv4 is the last 32 bits
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96'); // RFC 4291 (deprecated): ::a.b.c.d
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3'); // IANA: all global unicast space is in here

/**
 * Whether `address` (an IPv4 or IPv6 literal, brackets allowed) is a global unicast
 * address. Addresses that carry an IPv4 (IPv4-mapped and -compatible, 6to4, Teredo,
 * NAT64) are judged by every IPv4 they carry, since that is where the packets end up.
 * Anything that is not an address is refused rather than guessed at.
 */
export function classifyAddress(address: string): AddressVerdict {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  // node's isIP is strict (four decimal parts), unlike ipaddr.parse, which takes "127.1" or "0x7f000001".
  if (isIP(bare) === 0) return refused('not an IP address');
  const parsed = ipaddr.parse(isIP(bare) === 6 ? hexTail(bare) : bare);
  return parsed.kind() === 'ipv4' ? classifyIPv4(parsed as ipaddr.IPv4) : classifyIPv6(parsed as ipaddr.IPv6);
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address).public;
}

/**
 * `::a.b.c.d` written with hex groups instead: ipaddr.js 2.5 reads `::8.8.8.8` as the
 * IPv4-mapped `::ffff:8.8.8.8`, while it is the IPv4-compatible `::808:808`.
 */
function hexTail(address: string): string {
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (!dotted) return address;
  const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
  return `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function classifyIPv4(address: ipaddr.IPv4): AddressVerdict {
  const range = address.range();
  return range === 'unicast' ? PUBLIC : refused(`${address.toString()} is ${range}`);
}

function classifyIPv6(address: ipaddr.IPv6): AddressVerdict {
  if (address.match(NAT64_LOCAL_USE)) return refused(`${address.toString()} is NAT64 local-use (64:ff9b:1::/48)`);
  if (address.match(NAT64_WELL_KNOWN)) return embedding(address, 'NAT64', [lastIPv4(address)]);
  const range = address.range();
  if (range === 'ipv4Mapped') return embedding(address, 'IPv4-mapped', [address.toIPv4Address()]);
  if (range === '6to4') return embedding(address, '6to4', [ipv4Of(address.parts[1]!, address.parts[2]!)]);
  if (range === 'teredo') {
    // RFC 4380: the server's IPv4 is bits 32-63, the client's the last 32 bits, inverted.
    const [, , s1, s2, , , c1, c2] = address.parts as [number, number, number, number, number, number, number, number];
    return embedding(address, 'Teredo', [ipv4Of(s1, s2), ipv4Of(c1 ^ 0xffff, c2 ^ 0xffff)]);
  }
  if (range !== 'unicast') return refused(`${address.toString()} is ${range}`);
  if (address.match(IPV4_COMPATIBLE)) {
    // Deprecated and never routed, so refused either way; the reason names what it carries.
    const verdict = embedding(address, 'IPv4-compatible', [lastIPv4(address)]);
    if (!verdict.public) return verdict;
  }
  if (!address.match(GLOBAL_UNICAST)) return refused(`${address.toString()} is not global unicast (outside 2000::/3)`);
  return PUBLIC;
}

/** Public only when every IPv4 the address carries is. */
function embedding(address: ipaddr.IPv6, kind: string, carried: ipaddr.IPv4[]): AddressVerdict {
  for (const ipv4 of carried) {
    const verdict = classifyIPv4(ipv4);
    if (!verdict.public) return refused(`${address.toString()} is ${kind}, carrying ${verdict.reason}`);
  }
  return PUBLIC;
}

function lastIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return ipv4Of(address.parts[6]!, address.parts[7]!);
}

function ipv4Of(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** Names that only ever mean this machine or its network (RFC 6761, 6762, and common private zones). */
const LOCAL_NAME = /(^|\.)(localhost|local|localdomain|internal|home\.arpa|lan)$/i;

/**
 * Why the host of `url` is not a public target, or null when it may be one: a literal
 * address is classified now; a name is refused only when it is local by its form (a
 * single label, `localhost`, `.local`, …). What a name resolves to is checked again on
 * every connection (`guardedLookup`), since DNS may answer differently later.
 */
export function hostProblem(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host)) {
    const verdict = classifyAddress(host);
    return verdict.public ? null : verdict.reason;
  }
  if (!host.includes('.') || LOCAL_NAME.test(host)) return `${host} is a local name`;
  return null;
}
