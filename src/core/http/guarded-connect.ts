import dns from 'node:dns';
import net from 'node:net';
import { buildConnector } from 'undici';
import { refusedRange } from './address-policy.ts';

/** Every address of a host name, in the resolver's order. Tests inject their own. */
export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const lookupAll: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A connection refused because an address of the host is not public. */
export class UnsafeAddressError extends Error {
  readonly code = 'EADDR_REFUSED';
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `${hostname === address ? address : `${hostname} resolves to ${address}, which`} is not a public address (${range})`,
    );
  }
}

/** Why an address of a host may not be reached (null: it may); refusedRange unless a test stands a local server in for a public site. */
export type AddressPolicy = (address: string, hostname: string) => string | null;

export interface ConnectOptions {
  lookup: LookupAll;
  policy?: AddressPolicy;
  /** Refuse hosts with any non-public address (links from feeds); false for the operator's own URLs. */
  publicOnly: boolean;
  /** Connect timeout (ms). */
  timeout: number;
}

/**
 * The connection step of an undici Agent: resolves the host itself, checks every
 * address it got (when `publicOnly`), and opens the socket to a checked address, so
 * there is no second resolution to swap in another one. Because the check sits where
 * the socket is made, a pooled keep-alive socket was checked when it was opened: reuse
 * cannot skip it. Addresses are tried in the resolver's order until one connects (an
 * IPv6 address first on a host that only listens on IPv4).
 */
export function createGuardedConnector(options: ConnectOptions): buildConnector.connector {
  const connectTo = buildConnector({ timeout: options.timeout });
  return (target, callback) => {
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    resolveChecked(hostname, options).then(
      (addresses) => {
        // SNI and certificate checks keep the name, while the socket goes to the address.
        const servername = target.servername || (net.isIP(hostname) ? undefined : hostname);
        const attempt = (index: number) =>
          connectTo(
            { ...target, hostname: addresses[index]!, ...(servername ? { servername } : {}) },
            (error, socket) => {
              if (error && index + 1 < addresses.length && isUnreachable(error)) return attempt(index + 1);
              if (error) return callback(error, null);
              callback(null, socket!);
            },
          );
        attempt(0);
      },
      (error: Error) => callback(error, null),
    );
  };
}

async function resolveChecked(hostname: string, options: ConnectOptions): Promise<string[]> {
  const addresses = net.isIP(hostname) ? [hostname] : (await options.lookup(hostname)).map((entry) => entry.address);
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
  if (options.publicOnly) {
    const policy = options.policy ?? refusedRange;
    for (const address of addresses) {
      const range = policy(address, hostname);
      if (range) throw new UnsafeAddressError(hostname, address, range);
    }
  }
  return addresses;
}

function isUnreachable(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
}
