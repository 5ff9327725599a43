import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/core/http/http-client.ts';
import type { FetchLimits, ParseLimits } from '../../src/config/schema.ts';
import { decodeText, isMostlyUtf8 } from '../../src/ingest/decode-text.ts';
import { inspectInputs } from '../../src/ingest/inspect-inputs.ts';
import { createPageExtractor } from '../../src/ingest/page/page-extractor.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';

/**
 * A declared encoding wins: the document is decoded in it and only the bytes that are
 * invalid in it become U+FFFD. Detection is for documents that declare nothing.
 */
const BAD = Buffer.from([0xff]);
const utf8 = (text: string) => Buffer.from(text, 'utf8');

function feed(declaration: string, title: Buffer): Buffer {
  return Buffer.concat([
    utf8(`${declaration}<rss version="2.0"><channel><title>Wire</title><item><title>`),
    title,
    utf8(
      '</title><link>https://wire.example/1</link><description>Café owners welcome the rules. Crème brûlée for all.</description></item></channel></rss>',
    ),
  ]);
}
const titleWithOneBadByte = Buffer.concat([utf8('Café '), BAD, utf8(' déjà vu')]);

describe('decodeText: one bad byte in a declared UTF-8 document', () => {
  it.each([
    ['the XML declaration', { contentType: null, kind: 'xml' as const }, '<?xml version="1.0" encoding="UTF-8"?>'],
    [
      'the HTTP charset',
      { contentType: 'application/rss+xml; charset=utf-8', kind: 'xml' as const },
      '<?xml version="1.0"?>',
    ],
  ])('declared by %s, costs one U+FFFD and nothing else', (_label, hints, declaration) => {
    const text = decodeText(feed(declaration, titleWithOneBadByte), hints);
    expect(text).toContain('<title>Café \uFFFD déjà vu</title>');
    expect(text).toContain('Crème brûlée');
    expect(text).not.toContain('Ã');
  });

  it('declared by a <meta charset> in a page', () => {
    const html = Buffer.concat([
      utf8('<html><head><meta charset="utf-8"><title>Café</title></head><body><p>Naïve '),
      BAD,
      utf8(' façade</p></body></html>'),
    ]);
    expect(decodeText(html, { kind: 'html' })).toContain('<p>Naïve \uFFFD façade</p>');
  });

  it('declared by a byte order mark', () => {
    const text = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), titleWithOneBadByte]), { kind: 'text' });
    expect(text).toBe('Café \uFFFD déjà vu');
  });

  it('keeps a declared legacy charset even when a byte is undefined in it', () => {
    // 0x98 is undefined in Windows-1251; the Russian text around it must survive.
    const bytes = Buffer.concat([
      iconv.encode('<?xml version="1.0" encoding="windows-1251"?><t>Новости ', 'windows-1251'),
      Buffer.from([0x98]),
      iconv.encode(' дня</t>', 'windows-1251'),
    ]);
    const text = decodeText(bytes, { kind: 'xml' });
    expect(text).toMatch(/<t>Новости .? дня<\/t>/);
  });

  it('undeclared: UTF-8 with a stray byte is still UTF-8', () => {
    expect(decodeText(titleWithOneBadByte, { kind: 'text' })).toBe('Café \uFFFD déjà vu');
  });

  it('more bad bytes than good ones: the valid UTF-8 stays intact, each bad sequence is one U+FFFD', () => {
    // A UTF-8 feed with a Latin-1 paragraph pasted in: five bad bytes, two good sequences.
    const pasted = iconv.encode('Crème brûlée à la française', 'windows-1252');
    const bytes = Buffer.concat([utf8('<?xml version="1.0" encoding="utf-8"?><t>“Café” '), pasted, utf8('</t>')]);
    const text = decodeText(bytes, { kind: 'xml' });
    expect(text).toBe(
      '<?xml version="1.0" encoding="utf-8"?><t>“Café” Cr\uFFFDme br\uFFFDl\uFFFDe \uFFFD la fran\uFFFDaise</t>',
    );
    expect(decodeText(bytes, { kind: 'xml', contentType: 'application/rss+xml; charset=UTF-8' })).toBe(text);
  });

  it("a UTF-8 label yields to the document's other declaration when the bytes are not UTF-8", () => {
    const latin1 = iconv.encode('<?xml version="1.0" encoding="iso-8859-1"?><t>Café crème</t>', 'windows-1252');
    expect(decodeText(latin1, { kind: 'xml', contentType: 'text/xml; charset=utf-8' })).toContain('<t>Café crème</t>');
  });

  it('isMostlyUtf8 weighs valid multi-byte sequences against invalid bytes', () => {
    expect(isMostlyUtf8(utf8('plain ASCII'))).toBe(true);
    expect(isMostlyUtf8(titleWithOneBadByte)).toBe(true);
    expect(isMostlyUtf8(iconv.encode('Café crème brûlée', 'windows-1252'))).toBe(false);
    // Overlong and surrogate encodings are not valid sequences.
    expect(isMostlyUtf8(Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]))).toBe(false);
  });
});

describe('declared encodings through the fetch path', () => {
  const limits: FetchLimits = { maxBytes: 1 << 20, timeout: 5000, maxRedirects: 2, userAgent: 'TidingsTest/1.0' };
  const parse: ParseLimits = {
    timeout: 20_000,
    maxDepth: 128,
    maxElements: 50_000,
    maxText: 500_000,
    maxMemory: 96 * 2 ** 20,
  };
  const pages = createPageExtractor(parse);
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  beforeAll(async () => {
    server = await startFixtureServer({
      '/feed': (_q, r) =>
        r.writeHead(200, { 'content-type': 'application/rss+xml; charset=UTF-8' }).end(feed('', titleWithOneBadByte)),
      '/page': (_q, r) =>
        r
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            Buffer.concat([
              utf8(
                '<html><head><meta charset="utf-8"><title>Café on the quay</title></head><body><article><h1>Café on the quay</h1><p>The café reopens on Monday with a new menu. ',
              ),
              BAD,
              utf8(' Owners say crème brûlée stays.</p></article></body></html>'),
            ]),
          ),
    });
  });
  afterAll(async () => {
    await pages.close();
    await server.close();
  });

  it('a feed served as UTF-8 with one bad byte keeps every other character', async () => {
    const [result] = await inspectInputs([server.url('/feed')], {
      http: createHttpClient(limits),
      categories: {},
      enricher: { enrich: async (r) => r },
      pages,
    });
    if (!result || 'error' in result) throw new Error(result?.error);
    expect(result.articles[0]!.title).toBe('Café \uFFFD déjà vu');
    expect(result.articles[0]!.text).toContain('Crème brûlée');
  });

  it('a page declaring UTF-8 in <meta> with one bad byte keeps every other character', async () => {
    const [result] = await inspectInputs([server.url('/page')], {
      http: createHttpClient(limits),
      categories: {},
      enricher: { enrich: async (r) => r },
      pages,
    });
    if (!result || 'error' in result) throw new Error(result?.error);
    expect(result.articles[0]!.title).toBe('Café on the quay');
    expect(result.articles[0]!.text).toContain('new menu. \uFFFD Owners say crème brûlée stays.');
  });
});
