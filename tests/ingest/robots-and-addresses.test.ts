import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { isPublicAddress } from '../../src/core/http/address-policy.ts';
import { fetchOnce } from '../helpers/fetch-once.ts';
import { createRobotsCache } from '../../src/ingest/fulltext/robots-cache.ts';
import { parseRobots } from '../../src/ingest/fulltext/robots-rules.ts';

describe('robots.txt rules', () => {
  const robots = `# a comment
User-agent: OtherBot
Disallow: /

User-agent: *
Disallow: /private/
Allow: /private/press-*.html$
Disallow: /*?session=
Disallow:
`;

  it('reads the * group: longest match wins, Allow on a tie, * and $ patterns', () => {
    const rules = parseRobots(robots);
    expect(rules.isAllowed('/news/story/')).toBe(true);
    expect(rules.isAllowed('/private/minutes')).toBe(false);
    expect(rules.isAllowed('/private/press-2026.html')).toBe(true);
    expect(rules.isAllowed('/private/press-2026.html?x')).toBe(false);
    expect(rules.isAllowed('/search?session=abc')).toBe(false);
  });

  it('prefers a group naming tidings over *', () => {
    const rules = parseRobots(
      `User-agent: *\nDisallow: /\n\nUser-agent: Tidings\nUser-agent: other\nDisallow: /drafts/\n`,
    );
    expect(rules.isAllowed('/news/')).toBe(true);
    expect(rules.isAllowed('/drafts/x')).toBe(false);
  });

  it('allows everything when robots.txt is missing (4xx), refuses the host when it cannot be read', async () => {
    const missing = createRobotsCache({
      agent: 'tidings',
      fetch: async (url) => {
        throw new SourceError('SOURCE_FETCH', `HTTP 404 Not Found for ${url}`, { where: url });
      },
    });
    expect(await missing.check('https://a.example/x')).toEqual({ allowed: true });
    let calls = 0;
    const broken = createRobotsCache({
      agent: 'tidings',
      fetch: async (url) => {
        calls += 1;
        throw new SourceError('SOURCE_FETCH', `HTTP 503 Service Unavailable for ${url}`, {
          where: url,
          retryable: true,
        });
      },
    });
    const first = await broken.check('https://b.example/one');
    expect(first.allowed).toBe(false);
    expect(first.warning).toMatch(/robots\.txt of https:\/\/b\.example could not be read \(HTTP 503/);
    // Cached per host for the run, warned once.
    expect(await broken.check('https://b.example/two')).toEqual({ allowed: false });
    expect(calls).toBe(1);
  });
});

describe('the address policy for links from feeds', () => {
  it('refuses loopback, private, link-local and mapped addresses; allows public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::5',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPublicAddress(address), address).toBe(true);
  });

  const limits = { maxBytes: 1 << 20, timeout: 2000, maxRedirects: 2, userAgent: 'TidingsTest/1.0' };

  it('refuses a host when any of its addresses is private, before connecting', async () => {
    const lookup = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(fetchOnce('http://mixed.example/page', limits, { untrusted: true, lookup })).rejects.toThrow(
      /mixed\.example resolves to 10\.0\.0\.7, which is not a public address \(private\)/,
    );
  });

  it('refuses IP literals, IPv6 included', async () => {
    await expect(fetchOnce('http://127.0.0.1:9/x', limits, { untrusted: true })).rejects.toMatchObject({
      code: 'SOURCE_UNSAFE',
    });
    await expect(fetchOnce('http://[::1]:9/x', limits, { untrusted: true })).rejects.toMatchObject({
      code: 'SOURCE_UNSAFE',
    });
    await expect(fetchOnce('http://169.254.169.254/latest/meta-data/', limits, { untrusted: true })).rejects.toThrow(
      /169\.254\.169\.254/,
    );
  });
});
