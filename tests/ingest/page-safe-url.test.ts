import { describe, expect, it } from 'vitest';
import { toHttpUrl } from '../../src/core/http-url.ts';
import { resolveBase } from '../../src/ingest/page/safe-url.ts';

describe('toHttpUrl', () => {
  it('resolves relative URLs against a base', () => {
    expect(toHttpUrl('../img/a.jpg', 'https://site.example/news/2024/story')).toBe(
      'https://site.example/news/img/a.jpg',
    );
    expect(toHttpUrl('//cdn.example/a.png', 'https://site.example/')).toBe('https://cdn.example/a.png');
    expect(toHttpUrl('  https://site.example/a b  ')).toBe('https://site.example/a%20b');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\nscript:alert(1)',
    ' \tjavascript:x',
    'data:text/html,<b>',
    'vbscript:x',
    'mailto:a@b.example',
    'file:///etc/passwd',
  ])('drops %j', (raw) => {
    expect(toHttpUrl(raw, 'https://site.example/')).toBeNull();
  });

  it('drops relative URLs when there is no base, and non-strings', () => {
    expect(toHttpUrl('/a')).toBeNull();
    expect(toHttpUrl(null)).toBeNull();
    expect(toHttpUrl(undefined, 'https://site.example/')).toBeNull();
  });
});

describe('resolveBase', () => {
  it('resolves <base href> against the page URL and ignores a hostile one', () => {
    expect(resolveBase('https://site.example/a/b', '/news/')).toBe('https://site.example/news/');
    expect(resolveBase('https://site.example/a/b', 'javascript:alert(1)')).toBe('https://site.example/a/b');
    expect(resolveBase(null, 'https://other.example/')).toBe('https://other.example/');
    expect(resolveBase(null, null)).toBeNull();
  });
});
