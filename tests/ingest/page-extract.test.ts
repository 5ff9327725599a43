import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { extractPage } from '../../src/ingest/page/extract-page.ts';
import { parseHtmlFile } from '../../src/ingest/page/parse-html-file.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'pages');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');

describe('extractPage', () => {
  const draft = extractPage(read('article-relative.html'), {
    url: 'https://ledger.example/news/2024/budget-vote-delayed?utm_source=x',
  });

  it('keeps the story as paragraphs with the subheading on its own', () => {
    const paragraphs = draft.text.split('\n\n');
    expect(paragraphs[0]).toMatch(/^The town council postponed its vote/);
    expect(paragraphs).toContain('What happens next');
    expect(paragraphs.at(-1)).toMatch(/public meeting at the town hall/);
  });

  it('leaves photo captions out of the text', () => {
    const p = (n: number) =>
      `<p>Paragraph ${n} of the story about the new harbour crane, which the port bought last spring and assembled over the summer months.</p>`;
    const page = extractPage(
      `<html><head><title>Crane</title></head><body><article><h1>Crane</h1><figure><img src="/c.jpg" alt=""><figcaption>Workers watch as the crane lifts its first container.</figcaption></figure>${[1, 2, 3, 4, 5].map(p).join('')}</article></body></html>`,
      { url: 'https://port.example/crane' },
    );
    expect(page.text).toMatch(/^Paragraph 1 of the story/);
    expect(page.text).not.toContain('Workers watch');
  });

  it('leaves navigation, footer and scripts out', () => {
    expect(draft.text).not.toMatch(/Privacy|Log in|tracker|do not include me/);
  });

  it('keeps a <script> in the title as text, and strips the site suffix', () => {
    expect(draft.title).toBe('<script>alert(1)</script> Council delays budget vote');
  });

  it('reads the metadata', () => {
    expect(draft.siteName).toBe('The Valley Ledger');
    expect(draft.author).toBe('Tomas Brandt');
    expect(draft.publishedAt).toBe('2024-02-06T17:30:00.000Z');
    expect(draft.language).toBe('en-GB');
    expect(draft.labels).toEqual(['Politics', 'budget', 'council']);
    expect(draft.description).toBe("The vote on next year's budget moves to March after a dispute over road repairs.");
  });

  it('resolves the lead image against <base href> and the page URL', () => {
    expect(draft.imageUrl).toBe('https://ledger.example/news/2024/images/council-chamber.jpg');
    expect(draft.url).toBe('https://ledger.example/news/2024/budget-vote-delayed?utm_source=x');
  });

  it('falls back to the first content image, and only to http(s) ones', () => {
    const html = read('article-relative.html').replace(/<meta property="og:image"[^>]*>/, '');
    expect(extractPage(html, { url: 'https://ledger.example/a/b' }).imageUrl).toBe(
      'https://ledger.example/img/meeting.jpg',
    );
    const hostile = read('article-relative.html')
      .replace('images/council-chamber.jpg', 'javascript:alert(5)')
      .replace('../../img/meeting.jpg', 'data:image/png;base64,AAAA');
    expect(extractPage(hostile, { url: 'https://ledger.example/a/b' }).imageUrl).toBeNull();
  });

  it('drops a page URL that is not http(s)', () => {
    expect(extractPage(read('article-relative.html'), { url: 'javascript:alert(1)' }).url).toBe(
      'https://ledger.example/news/2024/budget-vote-delayed', // the canonical link stands in
    );
  });

  it('falls back to the body text when Readability finds no article', () => {
    const bare = extractPage(read('bare-body.html'), { url: null });
    expect(bare.text).toBe('Water main repaired on Elm Street.');
  });

  it('throws SOURCE_PARSE naming the input when there is nothing at all', () => {
    const attempt = () =>
      extractPage('<html><head></head><body>   </body></html>', { url: null, name: 'saved/empty.html' });
    expect(attempt).toThrow(SourceError);
    expect(attempt).toThrow(/saved\/empty\.html: .*no article/);
  });
});

describe('parseHtmlFile', () => {
  it('takes the URL from the canonical link', () => {
    const draft = parseHtmlFile(read('article-relative.html'), { fileName: 'pages/budget.html' });
    expect(draft.url).toBe('https://ledger.example/news/2024/budget-vote-delayed');
    expect(draft.imageUrl).toBe('https://ledger.example/news/2024/images/council-chamber.jpg');
  });

  it('takes the URL from og:url when there is no canonical link', () => {
    const html =
      '<html><head><title>Quay lights</title><meta property="og:url" content="https://riverside.example/quay"></head><body><p>New lights.</p></body></html>';
    expect(parseHtmlFile(html, { fileName: 'q.html' }).url).toBe('https://riverside.example/quay');
  });

  it('has no URL when the page names none, or only a relative one', () => {
    const html =
      '<html><head><title>T</title><link rel="canonical" href="/relative"></head><body><p>Text.</p></body></html>';
    expect(parseHtmlFile(html, { fileName: 'q.html' }).url).toBeNull();
  });
});
