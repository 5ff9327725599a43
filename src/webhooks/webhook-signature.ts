import { createHash, createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_`
 * followed by base64 bytes; each attempt carries `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 */
const PREFIX = 'whsec_';
/** Fewer bytes than this is a secret one could guess. */
const MIN_SECRET_BYTES = 24;

/** The key bytes of a `whsec_…` secret, or the reason it is not one. */
export function parseWebhookSecret(value: string): Buffer | string {
  if (!value.startsWith(PREFIX)) return `must start with ${PREFIX} (a Standard Webhooks secret)`;
  const encoded = value.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
    return `must be ${PREFIX} followed by base64`;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES)
    return `must hold at least ${MIN_SECRET_BYTES} random bytes (${PREFIX}$(openssl rand -base64 32))`;
  return key;
}

/** The headers of one attempt; the timestamp is the attempt's, so a receiver can refuse replays. */
export function signWebhook(key: Buffer, id: string, at: Date, body: string): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}

/** The same event always gets the same id (`msg_…`), so firing it twice queues it once and receivers can drop repeats. */
export function webhookEventId(type: string, key: string): string {
  return `msg_${createHash('sha256').update(`${type}\n${key}`).digest('base64url').slice(0, 27)}`;
}
