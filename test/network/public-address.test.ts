import { describe, expect, it } from 'vitest';
import { classifyAddress, hostProblem } from '../../src/lib/public-address.js';

/** Every special range, one address inside it, and the word its refusal names. */
const REFUSED: Array<[range: string, address: string, reason: string]> = [
  // IPv4
  ['0.0.0.0/8 "this network"', '0.1.2.3', 'unspecified'],
  ['10.0.0.0/8 private', '10.1.2.3', 'private'],
  ['100.64.0.0/10 carrier-grade NAT', '100.100.1.1', 'carrierGradeNat'],
  ['127.0.0.0/8 loopback', '127.0.0.1', 'loopback'],
  ['169.254.0.0/16 link-local (cloud metadata)', '169.254.169.254', 'linkLocal'],
  ['172.16.0.0/12 private', '172.31.255.255', 'private'],
  ['192.0.0.0/24 IETF protocol assignments', '192.0.0.8', 'reserved'],
  ['192.0.2.0/24 documentation (TEST-NET-1)', '192.0.2.10', 'reserved'],
  ['192.88.99.0/24 6to4 relay anycast', '192.88.99.1', 'reserved'],
  ['192.168.0.0/16 private', '192.168.1.1', 'private'],
  ['198.18.0.0/15 benchmarking', '198.19.0.1', 'reserved'],
  ['198.51.100.0/24 documentation (TEST-NET-2)', '198.51.100.7', 'reserved'],
  ['203.0.113.0/24 documentation (TEST-NET-3)', '203.0.113.9', 'reserved'],
  ['224.0.0.0/4 multicast', '239.1.1.1', 'multicast'],
  ['240.0.0.0/4 reserved', '250.1.1.1', 'reserved'],
  ['255.255.255.255 broadcast', '255.255.255.255', 'broadcast'],
  ['192.31.196.0/24 AS112', '192.31.196.1', 'as112'],
  ['192.52.193.0/24 AMT', '192.52.193.1', 'amt'],
  // IPv6
  [':: unspecified', '::', 'unspecified'],
  ['::1 loopback', '::1', 'loopback'],
  ['::ffff:0:0/96 IPv4-mapped loopback (dotted)', '::ffff:127.0.0.1', 'IPv4-mapped, carrying 127.0.0.1 is loopback'],
  ['::ffff:0:0/96 IPv4-mapped private (hex, as URL parsing writes it)', '::ffff:c0a8:1', 'IPv4-mapped, carrying 192.168.0.1 is private'],
  ['::/96 IPv4-compatible loopback', '::127.0.0.1', 'IPv4-compatible, carrying 127.0.0.1 is loopback'],
  ['::/96 IPv4-compatible public (deprecated, never routed)', '::8.8.8.8', 'not global unicast'],
  ['::ffff:0:0:0/96 IPv4-translated', '::ffff:0:a00:1', 'rfc6145'],
  ['64:ff9b::/96 NAT64 carrying metadata', '64:ff9b::169.254.169.254', 'NAT64, carrying 169.254.169.254 is linkLocal'],
  ['64:ff9b:1::/48 NAT64 local-use', '64:ff9b:1::808:808', 'NAT64 local-use'],
  ['100::/64 discard', '100::1', 'discard'],
  ['100:0:0:1::/64 dummy prefix (RFC 9780)', '100:0:0:1::5', 'not global unicast'],
  ['2001:1::1/128 protocol anycast (PCP), inside 2001::/23', '2001:1::1', 'reserved'],
  ['2001::/32 Teredo, client 10.0.0.1', '2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo, carrying 10.0.0.1 is private'],
  ['2001::/32 Teredo, server 127.0.0.1', '2001:0:7f00:1:8000:63bf:3fff:fdd2', 'Teredo, carrying 127.0.0.1 is loopback'],
  ['2001:2::/48 benchmarking', '2001:2::1', 'benchmarking'],
  ['2001:3::/32 AMT', '2001:3::1', 'amt'],
  ['2001:4:112::/48 AS112', '2001:4:112::1', 'as112v6'],
  ['2001:10::/28 ORCHID', '2001:10::1', 'deprecatedOrchid'],
  ['2001:20::/28 ORCHIDv2', '2001:20::1', 'orchid2'],
  ['2001:db8::/32 documentation', '2001:db8::1', 'reserved'],
  ['3fff::/20 documentation', '3fff::1', 'reserved'],
  ['2002::/16 6to4 carrying loopback', '2002:7f00:1::1', '6to4, carrying 127.0.0.1 is loopback'],
  ['2002::/16 6to4 carrying private', '2002:c0a8:101::', '6to4, carrying 192.168.1.1 is private'],
  ['5f00::/16 segment routing', '5f00::1', 'segmentRouting'],
  ['fc00::/7 unique local', 'fd12:3456::1', 'uniqueLocal'],
  ['fe80::/10 link-local', 'fe80::1', 'linkLocal'],
  ['fe80::/10 link-local with a zone', 'fe80::1%eth0', 'linkLocal'],
  ['fec0::/10 site-local', 'fec0::1', 'deprecatedSiteLocal'],
  ['ff00::/8 multicast', 'ff02::1', 'multicast'],
  ['outside 2000::/3', '4000::1', 'not global unicast'],
  // not addresses at all
  ['a name', 'example.com', 'not an IP address'],
  ['a short IPv4 form', '127.1', 'not an IP address'],
  ['a number', '2130706433', 'not an IP address'],
  ['empty', '', 'not an IP address'],
];

const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '100.63.255.255', // just below carrier-grade NAT
  '172.32.0.1', // just above 172.16/12
  '2606:4700:4700::1111',
  '2a00:1450:4001:82a::200e',
  '[2606:4700:4700::1111]',
  '::ffff:8.8.8.8', // IPv4-mapped: judged as the IPv4 it carries
  '64:ff9b::808:808', // NAT64 of 8.8.8.8, what DNS64 answers on an IPv6-only network
  '2002:808:808::1', // 6to4 of 8.8.8.8
];

describe('the public-address classifier', () => {
  it.each(REFUSED)('refuses %s (%s)', (_range, address, reason) => {
    const verdict = classifyAddress(address);
    expect(verdict.public).toBe(false);
    expect(verdict.public ? '' : verdict.reason).toContain(reason);
  });

  it.each(PUBLIC)('lets %s through', (address) => {
    expect(classifyAddress(address)).toEqual({ public: true });
  });

  it('judges a Teredo address by both IPv4s it carries', () => {
    // RFC 4380's example: server 65.54.227.120, client 192.0.2.45 (documentation, so refused)…
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toMatchObject({ reason: expect.stringContaining('192.0.2.45') as string });
    // …and the same server with a public client, 8.8.4.4 (inverted: f7f7:fbfb).
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:f7f7:fbfb')).toEqual({ public: true });
  });
});

describe('URL hosts at submission', () => {
  const problem = (url: string) => hostProblem(new URL(url));

  it('refuses literal non-public addresses however the URL writes them', () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://0x7f.1/x',
      'https://2130706433/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:7f00:1]/',
      'https://[64:ff9b::a00:1]/',
    ]) {
      expect(problem(url), url).not.toBeNull();
    }
  });

  it('refuses local names, with or without a trailing dot, and lets public names through', () => {
    for (const url of [
      'https://localhost/',
      'https://localhost./',
      'https://api.localhost/',
      'https://printer.local/',
      'https://db.internal/',
      'https://intranet/',
    ]) {
      expect(problem(url), url).toMatch(/local name/);
    }
    expect(problem('https://hooks.example.com/gavel')).toBeNull();
    expect(problem('https://[2606:4700:4700::1111]/')).toBeNull();
  });
});
