import dns from 'node:dns';
import net from 'node:net';
import { SourceError } from '../../core/errors.ts';

/**
 * Which addresses a link found in a feed may make Tidings connect to. Links in feeds
 * are untrusted: a feed could point the full-text fetch at the admin page of a router or
 * a cloud metadata service (SSRF). Loopback, private, link-local, carrier-grade NAT,
 * unspecified, multicast and reserved ranges are refused unless
 * `fetch.allowPrivateNetworks` says otherwise. IPv4-mapped IPv6 addresses are checked
 * as the IPv4 address they carry.
 */
const PRIVATE = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b:1::', 48],
] as const) PRIVATE.addSubnet(network, prefix, 'ipv6');

/** True for an address a link from a feed may reach. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]!);
    return !PRIVATE.check(address, 'ipv6');
  }
  return !PRIVATE.check(address, 'ipv4');
}

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const lookupAll: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.get that resolves every address of the host, refuses the host
 * when any of them is not public, and connects only to the addresses it checked (so a
 * second resolution cannot swap in another one). IP literals never reach a lookup:
 * `checkLiteralHost` covers them.
 */
export function createGuardedLookup(resolve: LookupAll = lookupAll) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find((entry) => !isPublicAddress(entry.address));
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        if (refused) return callback(refusal(hostname, refused.address), '', 0);
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (options.all) return callback(null, wanted.map(({ address, family }) => ({ address, family })));
        const first = wanted[0] ?? addresses[0]!;
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** For a URL whose host is an IP literal: throws when the address is not public. */
export function checkLiteralHost(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !isPublicAddress(host)) throw refusalError(url.href, host);
}

function refusal(hostname: string, address: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${hostname} resolves to ${address}`), { code: 'EADDR_REFUSED', address });
}

export function refusalError(where: string, address: string): SourceError {
  return new SourceError(
    'SOURCE_UNSAFE',
    `refused to fetch ${where}: ${address} is a loopback, private or link-local address (set fetch.allowPrivateNetworks: true to allow it)`,
    { where },
  );
}
