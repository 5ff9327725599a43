import { describe, expect, it } from 'vitest';
import { judgeClick, SCANNER_AGENTS } from '../../src/app/clicks/click-filter.ts';

const NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};

/** Readers' browsers and mail apps' in-app browsers: none of them may be taken for a scanner. */
const READERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/343.0.695551749 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0',
];

describe('the click filter (src/app/clicks/click-filter.ts)', () => {
  it("counts a reader's browser navigating to the link, with or without Fetch Metadata", () => {
    for (const agent of READERS) {
      expect(judgeClick({ method: 'GET', headers: { 'user-agent': agent, ...NAVIGATION } }), agent).toEqual({
        counted: true,
      });
      expect(
        judgeClick({ method: 'GET', headers: { 'user-agent': agent, accept: NAVIGATION.accept } }),
        `${agent} without Sec-Fetch-*`,
      ).toEqual({ counted: true });
    }
  });

  it('names the reason for each request it leaves out', () => {
    const agent = READERS[0]!;
    expect(judgeClick({ method: 'HEAD', headers: { 'user-agent': agent, ...NAVIGATION } })).toMatchObject({
      reason: 'head',
    });
    expect(
      judgeClick({
        method: 'GET',
        headers: { 'user-agent': agent, ...NAVIGATION, 'sec-purpose': 'prefetch;prerender' },
      }),
    ).toMatchObject({ reason: 'prefetch' });
    expect(judgeClick({ method: 'GET', headers: { ...NAVIGATION } })).toMatchObject({ reason: 'no-agent' });
    expect(
      judgeClick({ method: 'GET', headers: { 'user-agent': agent, ...NAVIGATION, 'sec-fetch-dest': 'iframe' } }),
    ).toMatchObject({ reason: 'no-navigation' });
    expect(judgeClick({ method: 'GET', headers: { 'user-agent': agent, accept: '*/*' } })).toMatchObject({
      reason: 'no-navigation',
    });
  });

  it('every listed scanner is recognised by an agent string of its kind, even with navigation headers', () => {
    const samples = [
      'Barracuda Sentinel (EE)',
      'Proofpoint-URLDefense/1.0',
      'Mimecast-Link-Checker',
      'Microsoft Office Existence Discovery',
      'Mozilla/5.0 (compatible; Cisco IronPort)',
      'Mozilla/5.0 (via ggpht.com GoogleImageProxy)',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'curl/8.5.0',
    ];
    expect(samples).toHaveLength(SCANNER_AGENTS.length);
    SCANNER_AGENTS.forEach((scanner, index) => {
      expect(scanner.pattern.test(samples[index]!), scanner.name).toBe(true);
      expect(judgeClick({ method: 'GET', headers: { 'user-agent': samples[index]!, ...NAVIGATION } })).toMatchObject({
        reason: 'scanner',
      });
    });
  });
});
