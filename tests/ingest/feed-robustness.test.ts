import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';

function parseError(text: string): SourceError {
  try {
    parseFeed(text, { baseUrl: 'https://feeds.example.com/x.xml' });
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected parseFeed to throw');
}

describe('parseFeed: malformed feeds are read leniently', () => {
  it('recovers from unclosed tags, bare ampersands and junk after the root, with warnings', () => {
    const feed = parseFeed(
      `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Tom & Jerry News</title><link>https://tj.example.com/</link>
<item><title>Cats & dogs</title><link>https://tj.example.com/1?a=1&b=2</link><description>Unclosed <b>bold</description></item>
<item><title>Second</title><link>https://tj.example.com/2</link><description>no end tag
</channel></rss>
<!-- appended by a broken CMS --><div>junk</div> trailing text`,
      { baseUrl: null },
    );
    expect(feed.title).toBe('Tom & Jerry News');
    expect(feed.drafts.map((d) => [d.title, d.url])).toEqual([
      ['Cats & dogs', 'https://tj.example.com/1?a=1&b=2'],
      ['Second', 'https://tj.example.com/2'],
    ]);
    expect(feed.drafts[0]!.text).toBe('Unclosed bold');
    expect(feed.warnings.some((w) => w.includes('<description> was not closed'))).toBe(true);
    expect(feed.warnings.some((w) => w.includes('after the root element'))).toBe(true);
  });

  it('keeps unclosed items as siblings instead of nesting them', () => {
    const items = Array.from(
      { length: 300 },
      (_, i) => `<item><title>Story ${i}</title><link>https://n.example/${i}</link>`,
    ).join('\n');
    const feed = parseFeed(`<rss><channel><title>Sloppy</title>${items}</channel></rss>`, { baseUrl: null });
    expect(feed.drafts).toHaveLength(300);
    expect(feed.drafts[299]).toMatchObject({ title: 'Story 299', url: 'https://n.example/299' });
    expect(feed.warnings[0]).toMatch(/<item> was not closed \(line 1\)/);
  });

  it('stops at absurd nesting quickly instead of going quadratic', () => {
    const started = performance.now();
    const feed = parseFeed(`<rss><channel><item><title>Deep</title>${'<x>'.repeat(500_000)}</item></channel></rss>`, {
      baseUrl: null,
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(feed.drafts[0]!.title).toBe('Deep');
    expect(feed.warnings.join()).toMatch(/nested deeper than/);
  });

  it('decodes HTML entities that XML does not know (&nbsp; &eacute;) in titles', () => {
    const feed = parseFeed(
      '<rss><channel><item><title>Caf&eacute;&nbsp;opens &#8220;today&#8221;</title></item></channel></rss>',
      { baseUrl: null },
    );
    expect(feed.drafts[0]!.title).toBe('Café opens “today”');
  });

  it('reads an Atom feed whose namespace declaration is missing', () => {
    const feed = parseFeed(
      '<feed><title>No NS</title><entry><title>Hi</title><link href="https://a.example/1"/></entry></feed>',
      { baseUrl: null },
    );
    expect(feed.drafts[0]).toMatchObject({ title: 'Hi', url: 'https://a.example/1' });
    expect(feed.warnings.join()).toMatch(/without the Atom namespace/);
  });

  it('throws SOURCE_PARSE with a reason when nothing is recognizable', () => {
    expect(parseError('').code).toBe('SOURCE_PARSE');
    expect(parseError('<html><body><p>hello</p></body></html>').message).toMatch(/HTML page, not a feed/);
    expect(parseError('<?xml version="1.0"?><catalog><book/></catalog>').message).toMatch(/root element is <catalog>/);
    expect(parseError('just some words').message).toMatch(/no XML elements/);
    expect(parseError('{"items": [1,}').message).toMatch(/not valid JSON/);
    expect(parseError('{"name": "package"}').message).toMatch(/JSON Feed/);
    expect(parseError('{"name": "package"}').message).toContain('https://feeds.example.com/x.xml');
  });
});

describe('parseFeed: entity attacks are refused', () => {
  it('refuses billion laughs', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>`;
    const error = parseError(bomb);
    expect(error.code).toBe('SOURCE_UNSAFE');
    expect(error.message).toMatch(/ENTITY/);
  });

  it('refuses external entities (XXE), general and parameter', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&xxe;</title></item></channel></rss>`;
    expect(parseError(xxe).code).toBe('SOURCE_UNSAFE');
    const parameter = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]><rss/>`;
    expect(parseError(parameter).code).toBe('SOURCE_UNSAFE');
  });

  it('never expands an undeclared entity reference', () => {
    const feed = parseFeed(
      '<rss><channel><item><title>A &secret; B</title><link>https://a.example/</link></item></channel></rss>',
      { baseUrl: null },
    );
    expect(feed.drafts[0]!.title).toBe('A &secret; B');
  });

  it('bounds the number of entity references decoded', () => {
    const many = '&amp;'.repeat(50);
    const error = (() => {
      try {
        parseFeed(`<rss><channel><item><title>${many}</title></item></channel></rss>`, {
          baseUrl: null,
          maxEntityExpansions: 10,
        });
      } catch (e) {
        return e as SourceError;
      }
      return null;
    })();
    expect(error?.code).toBe('SOURCE_UNSAFE');
  });
});
