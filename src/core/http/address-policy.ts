import ipaddr from 'ipaddr.js';

/**
 * Which addresses a URL from an untrusted place (a link in a feed, an article image)
 * may make Tidings connect to. One rule for IPv4 and IPv6: an address is public when
 * ipaddr.js (which follows the IANA special-purpose registries) calls it plain
 * `unicast`; every named range (loopback, private, link-local, carrier-grade NAT,
 * unique local, documentation, benchmarking, multicast, reserved…) is refused.
 *
 * IPv6 forms that carry an IPv4 address are judged by that address too, because a
 * translator or relay delivers the traffic to it: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-compatible (`::a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), NAT64
 * (`64:ff9b::/96`: a DNS64 network gives every IPv4-only site such an address, so a
 * public one passes), 6to4 (`2002::/16`) and Teredo (`2001::/32`, server and client).
 * The local-use NAT64 prefix `64:ff9b:1::/48` is the operator's own translator: refused.
 * Other IPv6 addresses must also lie in global unicast space (`2000::/3`).
 */

/** The name of the range that makes an address non-public, or null for a public address. */
export function refusedRange(address: string): string | null {
  const host = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host)) return 'not an IP address';
  const parsed = ipaddr.parse(host);
  return parsed.kind() === 'ipv4' ? refusedIpv4(parsed as ipaddr.IPv4) : refusedIpv6(parsed as ipaddr.IPv6);
}

/** True for an address an untrusted URL may reach. */
export function isPublicAddress(address: string): boolean {
  return refusedRange(address) === null;
}

function refusedIpv4(address: ipaddr.IPv4): string | null {
  const range = address.range();
  return range === 'unicast' ? null : range;
}

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number];
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];

function refusedIpv6(address: ipaddr.IPv6): string | null {
  // The local-use NAT64 prefix (64:ff9b:1::/48) has no fixed place for the IPv4 address.
  if (address.range() === 'rfc6052' && !address.match(NAT64_WELL_KNOWN)) return 'local-use NAT64';
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const inner = embedded.addresses.map(refusedIpv4).find((range) => range !== null);
    return inner ? `${embedded.form} of ${inner}` : null;
  }
  const range = address.range();
  if (range !== 'unicast') return range;
  return address.match(GLOBAL_UNICAST) ? null : 'not global unicast';
}

/** The IPv4 addresses an IPv6 address hands its traffic to, for the forms that embed one. */
function embeddedIpv4(address: ipaddr.IPv6): { form: string; addresses: ipaddr.IPv4[] } | null {
  const bytes = address.toByteArray();
  const v4 = (from: number, invert = false) =>
    new ipaddr.IPv4(bytes.slice(from, from + 4).map((byte) => (invert ? byte ^ 0xff : byte)));
  const range = address.range();
  if (range === 'ipv4Mapped') return { form: 'IPv4-mapped', addresses: [v4(12)] };
  if (range === 'rfc6145') return { form: 'IPv4-translated', addresses: [v4(12)] };
  if (range === '6to4') return { form: '6to4', addresses: [v4(2)] };
  if (range === 'teredo') return { form: 'Teredo', addresses: [v4(4), v4(12, true)] };
  if (range === 'rfc6052') return { form: 'NAT64', addresses: [v4(12)] };
  // `::` and `::1` are named by range(); any other address in ::/96 is IPv4-compatible.
  if (range === 'unicast' && address.match(IPV4_COMPATIBLE)) return { form: 'IPv4-compatible', addresses: [v4(12)] };
  return null;
}
