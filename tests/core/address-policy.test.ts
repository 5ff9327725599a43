import { describe, expect, it } from 'vitest';
import { isPublicAddress, refusedRange } from '../../src/core/http/address-policy.ts';

describe('the address policy for untrusted URLs', () => {
  it('refuses every IPv4 special-purpose range and allows public unicast', () => {
    const refused: Record<string, string> = {
      '0.0.0.0': 'unspecified',
      '10.1.2.3': 'private',
      '100.64.0.1': 'carrierGradeNat',
      '127.0.0.1': 'loopback',
      '169.254.169.254': 'linkLocal',
      '172.20.0.1': 'private',
      '192.0.0.8': 'reserved',
      '192.0.2.10': 'reserved',
      '192.88.99.1': 'reserved',
      '192.168.1.1': 'private',
      '198.18.0.1': 'reserved',
      '198.51.100.7': 'reserved',
      '203.0.113.9': 'reserved',
      '224.0.0.251': 'multicast',
      '240.0.0.1': 'reserved',
      '255.255.255.255': 'broadcast',
    };
    for (const [address, range] of Object.entries(refused)) expect(refusedRange(address), address).toBe(range);
    for (const address of ['93.184.215.14', '1.1.1.1', '8.8.8.8']) expect(isPublicAddress(address), address).toBe(true);
  });

  it('refuses IPv6 loopback, unspecified, unique local, link-local, site-local, multicast, documentation and other reserved ranges', () => {
    const refused: Record<string, string> = {
      '::1': 'loopback',
      '::': 'unspecified',
      'fd00::5': 'uniqueLocal',
      'fc12::1': 'uniqueLocal',
      'fe80::1': 'linkLocal',
      'fe80::1%eth0': 'linkLocal',
      'fec0::1': 'deprecatedSiteLocal',
      'ff02::1': 'multicast',
      '2001:db8::1': 'reserved',
      '3fff::1': 'reserved',
      '100::1': 'discard',
      '2001:2::1': 'benchmarking',
      '4000::1': 'not global unicast',
    };
    for (const [address, range] of Object.entries(refused)) expect(refusedRange(address), address).toBe(range);
    for (const address of ['2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])
      expect(isPublicAddress(address), address).toBe(true);
  });

  it('judges the IPv4 address inside NAT64, 6to4, Teredo, mapped, translated and compatible forms', () => {
    const refused: Record<string, string> = {
      '64:ff9b::7f00:1': 'NAT64 of loopback',
      '64:ff9b::a00:7': 'NAT64 of private',
      '64:ff9b::a9fe:a9fe': 'NAT64 of linkLocal',
      '64:ff9b:1::808:808': 'local-use NAT64',
      '2002:c0a8:101::1': '6to4 of private',
      '2002:7f00:1::': '6to4 of loopback',
      // RFC 4380's example: server 65.54.227.120, client (bits inverted) 192.0.2.45.
      '2001:0:4136:e378:8000:63bf:3fff:fdd2': 'Teredo of reserved',
      '2001:0:a00:1::808:808': 'Teredo of private',
      '::ffff:127.0.0.1': 'IPv4-mapped of loopback',
      '::ffff:10.0.0.1': 'IPv4-mapped of private',
      '::ffff:0:a9fe:a9fe': 'IPv4-translated of linkLocal',
      '::7f00:1': 'IPv4-compatible of loopback',
      '::a00:1': 'IPv4-compatible of private',
    };
    for (const [address, range] of Object.entries(refused)) expect(refusedRange(address), address).toBe(range);
    // A DNS64 network gives every IPv4-only site a NAT64 address: a public one passes.
    for (const address of [
      '64:ff9b::808:808',
      '2002:808:808::1',
      '::ffff:8.8.8.8',
      '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
    ]) {
      expect(refusedRange(address), address).toBeNull();
    }
  });

  it('refuses what is not an IP address at all', () => {
    expect(refusedRange('localhost')).toBe('not an IP address');
    expect(isPublicAddress('')).toBe(false);
  });
});
