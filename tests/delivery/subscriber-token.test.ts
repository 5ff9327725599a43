import { describe, expect, it } from 'vitest';
import { buildSubscriberUrls, signSubscriberToken, verifySubscriberToken } from '../../src/delivery/subscriber-token.ts';

const SECRET = 'a-secret-of-enough-length';

describe('subscriber tokens', () => {
  it('round-trips the claims and is URL-safe', () => {
    const token = signSubscriberToken({ subscriberId: 42, newsletterId: 'morning', purpose: 'unsubscribe' }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifySubscriberToken(token, SECRET)).toEqual({ subscriberId: 42, newsletterId: 'morning', purpose: 'unsubscribe' });
  });

  it('rejects a wrong secret, a changed payload, a truncated signature and garbage', () => {
    const token = signSubscriberToken({ subscriberId: 42, newsletterId: 'morning', purpose: 'preferences' }, SECRET);
    expect(verifySubscriberToken(token, 'another-secret-of-length')).toBeNull();
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from('p:43:morning').toString('base64url');
    expect(verifySubscriberToken(`${forged}.${signature}`, SECRET)).toBeNull();
    expect(verifySubscriberToken(`${payload}.${signature.slice(0, -2)}`, SECRET)).toBeNull();
    expect(verifySubscriberToken('nonsense', SECRET)).toBeNull();
    expect(verifySubscriberToken('a.b.c', SECRET)).toBeNull();
  });

  it('distinguishes purposes: an unsubscribe token is not a preferences token', () => {
    const u = signSubscriberToken({ subscriberId: 1, newsletterId: 'n', purpose: 'unsubscribe' }, SECRET);
    const p = signSubscriberToken({ subscriberId: 1, newsletterId: 'n', purpose: 'preferences' }, SECRET);
    expect(u).not.toBe(p);
    expect(verifySubscriberToken(p, SECRET)?.purpose).toBe('preferences');
  });

  it('builds the unsubscribe, preferences and view URLs', () => {
    expect(buildSubscriberUrls('https://x.test/news/', { unsubscribe: 'U', preferences: 'P' }, 'morning/2026-11-28T07:00:00+01:00')).toEqual({
      unsubscribeUrl: 'https://x.test/news/u/U',
      preferencesUrl: 'https://x.test/news/p/P',
      viewUrl: 'https://x.test/news/e/morning/2026-11-28T07%3A00%3A00%2B01%3A00',
    });
  });
});
