import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * VERP return paths (`bounces+<token>@domain`): the envelope sender names the delivery,
 * so a bounce that arrives days later, whatever the remote server wrote in it, says
 * which edition and subscriber it belongs to. The token is the subscriber id (base 36)
 * and a 64-bit HMAC over (edition, subscriber) with web.secret: short (a local part
 * holds 64 characters), lower-case (some servers fold case), and not forgeable, so
 * nobody can bounce someone else off a list by mailing the bounce address.
 * The edition is not in the token: the few editions a subscriber has a delivery in are
 * tried against the MAC (see findVerpDelivery).
 */
export interface VerpDelivery {
  editionId: string;
  subscriberId: number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function verpMac(delivery: VerpDelivery, secret: string): string {
  const mac = createHmac('sha256', secret).update(`verp\0${delivery.editionId}\0${delivery.subscriberId}`).digest();
  return base32(mac.subarray(0, 8));
}

/** `bounces+k3-<mac>@example.org` for `bounces@example.org`. Only for stored subscribers (id ≥ 0). */
export function formatVerpAddress(returnPath: string, delivery: VerpDelivery, secret: string): string {
  const at = returnPath.lastIndexOf('@');
  return `${returnPath.slice(0, at)}+${delivery.subscriberId.toString(36)}-${verpMac(delivery, secret)}${returnPath.slice(at)}`;
}

export interface VerpToken {
  subscriberId: number;
  mac: string;
}

/** Reads the token out of an address at the return path's local part and domain; null when it is not one. */
export function parseVerpAddress(address: string, returnPath: string): VerpToken | null {
  const at = returnPath.lastIndexOf('@');
  const local = returnPath.slice(0, at).toLowerCase();
  const domain = returnPath.slice(at + 1).toLowerCase();
  const match = /^(.+)\+([0-9a-z]{1,11})-([a-z2-7]{13})@(.+)$/.exec(address.trim().toLowerCase().replace(/^<|>$/g, ''));
  if (!match || match[1] !== local || match[4] !== domain) return null;
  const subscriberId = parseInt(match[2]!, 36);
  return Number.isSafeInteger(subscriberId) ? { subscriberId, mac: match[3]! } : null;
}

/** The delivery among `editionIds` whose MAC matches the token; null when none does (forged or another secret). */
export function findVerpDelivery(token: VerpToken, editionIds: Iterable<string>, secret: string): VerpDelivery | null {
  const expected = Buffer.from(token.mac);
  for (const editionId of editionIds) {
    const delivery = { editionId, subscriberId: token.subscriberId };
    const mac = Buffer.from(verpMac(delivery, secret));
    if (mac.length === expected.length && timingSafeEqual(mac, expected)) return delivery;
  }
  return null;
}
