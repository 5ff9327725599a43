import { afterEach, describe, expect, it } from 'vitest';
import type { ParseLimits } from '../../src/config/schema.ts';
import { SourceError } from '../../src/core/errors.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';
import { htmlToText } from '../../src/ingest/html-to-text.ts';
import { boundHtml } from '../../src/ingest/page/bound-html.ts';
import { createPageExtractor, type PageExtractor } from '../../src/ingest/page/page-extractor.ts';

const WIDE = { maxDepth: 1024, maxElements: 10_000_000, maxText: 100_000_000 };

function deepestOf(html: string): number {
  return boundHtml(html, WIDE).depth;
}

describe('boundHtml: the pre-pass before any DOM is built', () => {
  it('flattens elements below maxDepth into their ancestor, keeping their text and the rest of the page', () => {
    const html =
      '<html><body><div id="a"><div><div><div>deep <b>bold</b> words</div ></div>after</div></div><p>tail</p></body></html>';
    const bounded = boundHtml(html, { ...WIDE, maxDepth: 3 });
    expect(bounded.html).toBe('<html><body><div id="a">deep bold wordsafter</div><p>tail</p></body></html>');
    expect(bounded).toMatchObject({ depth: 7, flattened: 4, truncated: false });
  });

  it('measures depth as the parser builds the tree: unclosed <p> and <li> are siblings, void elements add nothing', () => {
    expect(deepestOf(`<body>${'<p>one'.repeat(500)}`)).toBe(2);
    expect(deepestOf(`<ul>${'<li>item'.repeat(500)}</ul>`)).toBe(2);
    expect(deepestOf(`<div>${'<br><img src=x><hr>'.repeat(500)}</div>`)).toBe(1);
    // Stray end tags close nothing; a matching one closes what is open inside it.
    expect(deepestOf('<div><span><b>x</i></div><div>y</div>')).toBe(3);
  });

  it('never cuts the tags of a script, a style sheet or an <svg> root, and closes <x/> inside SVG', () => {
    const html = '<div><div><svg><g><path d="M0"/><path d="M1"/></g></svg><textarea>a<b>c</textarea></div></div>';
    const bounded = boundHtml(html, { ...WIDE, maxDepth: 2 });
    expect(bounded.html).toBe('<div><div><svg></svg><textarea>a<b>c</textarea></div></div>');
  });

  it('drops scripts and style sheets but keeps JSON-LD, which Readability reads', () => {
    const html =
      '<head><script>var s = "<div><div>";</script><script type="application/ld+json">{"headline":"H"}</script>' +
      '<style>p { color: red }</style></head><body><p>Text</p><script src="x.js"></script></body>';
    expect(boundHtml(html, WIDE).html).toBe(
      '<head><script type="application/ld+json">{"headline":"H"}</script></head><body><p>Text</p></body>',
    );
  });

  it('fails a page with more than maxElements elements, naming the budget', () => {
    const attempt = () =>
      boundHtml('<div></div>'.repeat(1001), { ...WIDE, maxElements: 1000 }, 'https://x.example/wide');
    expect(attempt).toThrow(SourceError);
    expect(attempt).toThrow(
      'https://x.example/wide: the page has more than 1000 elements (parse.maxElements); not parsed',
    );
    try {
      attempt();
    } catch (error) {
      expect((error as SourceError).code).toBe('SOURCE_TOO_COMPLEX');
    }
  });

  it('cuts the page after maxText characters of text, not counting scripts', () => {
    const html = `<body><script>${'x'.repeat(5000)}</script>${'<p>0123456789</p>'.repeat(100)}</body>`;
    const bounded = boundHtml(html, { ...WIDE, maxText: 95 });
    expect(bounded.truncated).toBe(true);
    expect(bounded.html).toBe(`<body>${'<p>0123456789</p>'.repeat(9)}<p>01234`);
  });

  it('handles 100,000 nested levels without recursion, leaving markup no deeper than maxDepth', () => {
    const levels = 100_000;
    const html = `<body>${'<div><span>'.repeat(levels / 2)}core${'</span></div>'.repeat(levels / 2)}</body>`;
    const bounded = boundHtml(html, { ...WIDE, maxDepth: 128 });
    expect(bounded.depth).toBe(levels + 1);
    expect(deepestOf(bounded.html)).toBe(128);
    expect(bounded.html).toContain('core');
  });
});

describe('HTML inside feeds and files is flattened the same way before htmlToText', () => {
  it('reads the text of a feed item whose HTML nests 100,000 levels', () => {
    const html = `<p>Lead paragraph.</p>${'<div>'.repeat(100_000)}<p>Deep paragraph.</p>${'</div>'.repeat(100_000)}<p>Last one.</p>`;
    expect(htmlToText(html)).toBe('Lead paragraph.\n\nDeep paragraph.\n\nLast one.');
    const escaped = html.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const feed = parseFeed(
      `<rss><channel><item><title>Deep item</title><description>${escaped}</description></item></channel></rss>`,
      { baseUrl: null },
    );
    expect(feed.drafts[0]!.text).toBe('Lead paragraph.\n\nDeep paragraph.\n\nLast one.');
  });
});

describe('createPageExtractor: Readability in a worker with a budget', () => {
  const LIMITS: ParseLimits = {
    timeout: 20_000,
    maxDepth: 128,
    maxElements: 50_000,
    maxText: 500_000,
    maxMemory: 96 * 2 ** 20,
  };
  let extractor: PageExtractor | null = null;
  afterEach(async () => {
    await extractor?.close();
    extractor = null;
  });

  const page = (title: string, body: string) =>
    `<html><head><title>${title}</title></head><body><article><h1>${title}</h1>${body}</article></body></html>`;
  const STORY = '<p>The ferry operators said the winter timetable starts in two weeks, with more crossings.</p>'.repeat(
    5,
  );

  async function failure(promise: Promise<unknown>): Promise<SourceError> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      return error as SourceError;
    }
    throw new Error('expected the extraction to fail');
  }

  it('extracts pages one after another in the same worker, flattening deep ones with a warning', async () => {
    extractor = createPageExtractor(LIMITS);
    const plain = await extractor.extract(page('Winter timetable', STORY), {
      url: 'https://ferries.example/winter',
      name: 'https://ferries.example/winter',
    });
    expect(plain.draft).toMatchObject({ title: 'Winter timetable', url: 'https://ferries.example/winter' });
    expect(plain.warnings).toEqual([]);
    const deep = await extractor.extract(
      page('Deep', `${STORY}${'<div>'.repeat(3000)}<p>Bottom line of the story.</p>${'</div>'.repeat(3000)}`),
      {
        url: null,
        name: 'deep.html',
      },
    );
    expect(deep.draft.text).toContain('Bottom line of the story.');
    expect(deep.warnings).toEqual([
      'elements nested 3004 levels deep; 2876 element(s) below 128 levels (parse.maxDepth) were flattened into their ancestors',
    ]);
  });

  it('terminates the worker past parse.timeout (SOURCE_PARSE_TIMEOUT) and closes cleanly', async () => {
    extractor = createPageExtractor({ ...LIMITS, timeout: 1 });
    const error = await failure(extractor.extract(page('Slow', STORY.repeat(20)), { url: null, name: 'slow.html' }));
    expect(error.code).toBe('SOURCE_PARSE_TIMEOUT');
    expect(error.message).toBe('slow.html: parsing the page took longer than 1ms (parse.timeout); stopped');
  });

  it('stops a page that needs more heap than parse.maxMemory (SOURCE_TOO_COMPLEX), then parses the next page in a new worker', async () => {
    extractor = createPageExtractor({ ...LIMITS, maxMemory: 16 * 2 ** 20, maxText: 100_000_000 });
    const huge = page('Huge', `<p>${'Harbour words that fill the heap. '.repeat(300_000)}</p>`);
    const error = await failure(extractor.extract(huge, { url: null, name: 'huge.html' }));
    expect(error.code).toBe('SOURCE_TOO_COMPLEX');
    expect(error.message).toBe(
      'huge.html: parsing the page needed more than 16 MB of memory (parse.maxMemory); stopped',
    );
    const next = await extractor.extract(page('Small one', STORY), { url: null, name: 'small.html' });
    expect(next.draft.title).toBe('Small one');
  });

  it('reports a page without text as SOURCE_PARSE, naming it', async () => {
    extractor = createPageExtractor(LIMITS);
    const error = await failure(
      extractor.extract('<html><head></head><body>  </body></html>', { url: null, name: 'saved/empty.html' }),
    );
    expect(error.code).toBe('SOURCE_PARSE');
    expect(error.message).toBe('saved/empty.html: no article text or title found in the page');
  });
});
