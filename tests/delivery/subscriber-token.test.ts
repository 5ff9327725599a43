import { describe, expect, it } from 'vitest';
import {
  buildSubscriberUrls,
  createSubscriberLinks,
  signSignupToken,
  signSubscriberToken,
  verifySignupToken,
  verifySubscriberToken,
} from '../../src/delivery/subscriber-token.ts';

const SECRET = 'a-secret-of-enough-length';

describe('subscriber tokens', () => {
  it('round-trips the claims and is URL-safe', () => {
    const token = signSubscriberToken({ subscriberId: 42, newsletterId: 'morning', purpose: 'unsubscribe' }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifySubscriberToken(token, SECRET)).toEqual({
      subscriberId: 42,
      newsletterId: 'morning',
      purpose: 'unsubscribe',
    });
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

  it('names the edition of a cadence stream while acting on the configured newsletter (issue 26)', () => {
    const claims = { subscriberId: 7, newsletterId: 'world', purpose: 'unsubscribe' as const };
    for (const editionId of ['world.weekly/2026-12-07T07:00', 'world/2026-12-07T07:00']) {
      const token = signSubscriberToken({ ...claims, editionId }, SECRET);
      expect(verifySubscriberToken(token, SECRET)).toEqual({ ...claims, editionId });
    }
    // An edition of another newsletter is not carried.
    const foreign = signSubscriberToken({ ...claims, editionId: 'worldly/2026-12-07T07:00' }, SECRET);
    expect(verifySubscriberToken(foreign, SECRET)).toEqual(claims);
  });

  it('distinguishes purposes: an unsubscribe token is not a preferences token', () => {
    const u = signSubscriberToken({ subscriberId: 1, newsletterId: 'n', purpose: 'unsubscribe' }, SECRET);
    const p = signSubscriberToken({ subscriberId: 1, newsletterId: 'n', purpose: 'preferences' }, SECRET);
    expect(u).not.toBe(p);
    expect(verifySubscriberToken(p, SECRET)?.purpose).toBe('preferences');
  });

  it('builds the unsubscribe, preferences and view URLs', () => {
    expect(
      buildSubscriberUrls(
        'https://x.test/news/',
        { unsubscribe: 'U', preferences: 'P' },
        'morning/2026-11-28T07:00:00+01:00',
      ),
    ).toEqual({
      unsubscribeUrl: 'https://x.test/news/u/U',
      preferencesUrl: 'https://x.test/news/p/P',
      viewUrl: 'https://x.test/news/e/morning/2026-11-28T07%3A00%3A00%2B01%3A00',
    });
  });

  it('carries the edition in unsubscribe links (for per-edition counts) and signs it: changing it breaks the token', () => {
    const links = createSubscriberLinks({
      baseUrl: 'https://x.test',
      secret: SECRET,
      newsletterId: 'morning',
      editionId: 'morning/2026-11-28T07:00',
    })(7);
    expect(verifySubscriberToken(links.unsubscribeToken!, SECRET)).toEqual({
      subscriberId: 7,
      newsletterId: 'morning',
      purpose: 'unsubscribe',
      editionId: 'morning/2026-11-28T07:00',
    });
    expect(links.unsubscribeUrl).toBe(`https://x.test/u/${links.unsubscribeToken}`);
    const preferences = links.preferencesUrl.slice('https://x.test/p/'.length);
    expect(verifySubscriberToken(preferences, SECRET)).toEqual({
      subscriberId: 7,
      newsletterId: 'morning',
      purpose: 'preferences',
    });
    const [, signature] = links.unsubscribeToken!.split('.') as [string, string];
    const other = Buffer.from('u:7:morning:2026-11-29T07:00').toString('base64url');
    expect(verifySubscriberToken(`${other}.${signature}`, SECRET)).toBeNull();
    // An edition of another newsletter is not written into the token.
    const mixed = signSubscriberToken(
      { subscriberId: 7, newsletterId: 'morning', purpose: 'unsubscribe', editionId: 'evening/2026-11-28T07:00' },
      SECRET,
    );
    expect(verifySubscriberToken(mixed, SECRET)).toEqual({
      subscriberId: 7,
      newsletterId: 'morning',
      purpose: 'unsubscribe',
    });
  });

  it('signup confirmation tokens carry their expiry and are not subscriber tokens', () => {
    const expiresAt = new Date('2026-12-05T10:00:00Z');
    const token = signSignupToken({ signupId: 12, newsletterId: 'morning', expiresAt }, SECRET);
    expect(verifySignupToken(token, SECRET)).toEqual({ signupId: 12, newsletterId: 'morning', expiresAt });
    expect(verifySubscriberToken(token, SECRET)).toBeNull();
    expect(verifySignupToken(token, 'another-secret-of-length')).toBeNull();
    const u = signSubscriberToken({ subscriberId: 12, newsletterId: 'morning', purpose: 'unsubscribe' }, SECRET);
    expect(verifySignupToken(u, SECRET)).toBeNull();
    const later = Buffer.from(`c:12:morning:${Math.floor(expiresAt.getTime() / 1000) + 86_400}`).toString('base64url');
    expect(verifySignupToken(`${later}.${token.split('.')[1]}`, SECRET)).toBeNull();
  });
});
