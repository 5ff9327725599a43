import { createHash } from 'node:crypto';
import { normalizeEmailAddress } from './email-address.ts';

/**
 * The key of a suppression: SHA-256 of the normalized address, so the store can tell
 * "this address must not come back" without keeping the address. It is pseudonymous,
 * not anonymous (a known address can be hashed and looked up), which is the point.
 * Unkeyed on purpose: rotating web.secret must not forget suppressions.
 */
export function addressHash(email: string): string {
  const check = normalizeEmailAddress(email);
  const canonical = check.ok ? check.address : email.trim().toLowerCase();
  return createHash('sha256').update(`tidings-suppression:${canonical}`).digest('hex');
}
