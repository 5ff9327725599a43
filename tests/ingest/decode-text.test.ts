import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/ingest/decode-text.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';

/** A small RSS feed in any charset, declared in the XML declaration (or not). */
function feedBytes(title: string, encoding: string, declared: string | null = encoding, bom = false): Buffer {
  const declaration = declared ? `<?xml version="1.0" encoding="${declared}"?>` : '<?xml version="1.0"?>';
  const xml = `${declaration}\n<rss version="2.0"><channel><title>Test</title><item><title>${title}</title><link>https://example.com/1</link></item></channel></rss>`;
  return iconv.encode(xml, encoding, { addBOM: bom });
}

function titleOf(bytes: Uint8Array, contentType: string | null = null): string {
  return parseFeed(decodeText(bytes, { contentType, kind: 'xml' }), { baseUrl: null }).drafts[0]!.title;
}

const RUSSIAN = 'Правительство объявило новые меры по защите данных граждан и экономике';

describe('decodeText: declared charsets', () => {
  it.each([
    ['ISO-8859-1', 'Café au lait à Genève, señor'],
    ['ISO-8859-2', 'Zażółć gęślą jaźń: Łódź i Kraków'],
    ['ISO-8859-5', 'Новости дня: Москва'],
    ['windows-1251', RUSSIAN],
    ['windows-1252', 'Smart “quotes” – and € prices'],
    ['KOI8-R', 'Новости безопасности'],
    ['Big5', '台灣新聞：颱風來襲'],
    ['Shift_JIS', '東京の天気予報：明日は雨'],
    ['EUC-KR', '서울 뉴스: 오늘의 날씨'],
    ['GB18030', '北京新闻：经济增长'],
  ])('%s from the XML declaration', (encoding, title) => {
    expect(titleOf(feedBytes(title, encoding))).toBe(title);
  });

  it('uses the HTTP charset when the document declares none', () => {
    const bytes = feedBytes(RUSSIAN, 'koi8-r', null);
    expect(titleOf(bytes, 'application/rss+xml; charset=KOI8-R')).toBe(RUSSIAN);
  });

  it('prefers the HTTP charset over the XML declaration', () => {
    const bytes = feedBytes('Zażółć gęślą jaźń', 'iso-8859-2', 'iso-8859-1');
    expect(titleOf(bytes, 'text/xml; charset="ISO-8859-2"')).toBe('Zażółć gęślą jaźń');
  });

  it('lets a specific document charset win over a server-default ISO-8859-1 header', () => {
    const bytes = feedBytes(RUSSIAN, 'windows-1251', 'windows-1251');
    expect(titleOf(bytes, 'text/xml; charset=ISO-8859-1')).toBe(RUSSIAN);
  });

  it('reads <meta charset> and <meta http-equiv> in HTML', () => {
    const html = (meta: string) =>
      iconv.encode(`<html><head>${meta}</head><body>Привет мир</body></html>`, 'windows-1251');
    expect(decodeText(html('<meta charset="windows-1251">'), { kind: 'html' })).toContain('Привет мир');
    expect(
      decodeText(html('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'), { kind: 'html' }),
    ).toContain('Привет мир');
  });
});

describe('decodeText: byte order marks and wide encodings', () => {
  it.each([
    ['utf-8', 'utf8'],
    ['UTF-16LE', 'utf16le'],
    ['UTF-16BE', 'utf16be'],
    ['UTF-32LE', 'utf32le'],
    ['UTF-32BE', 'utf32be'],
  ])('%s with a BOM (BOM stripped from the output)', (declared, encoding) => {
    const bytes = feedBytes('Ünïcödé — 日本語', encoding, declared === 'utf-8' ? 'utf-8' : 'UTF-16', true);
    const text = decodeText(bytes, { kind: 'xml' });
    expect(text.startsWith('<?xml')).toBe(true);
    expect(titleOf(bytes)).toBe('Ünïcödé — 日本語');
  });

  it.each(['utf16le', 'utf16be'])('%s without a BOM, from the NUL-byte pattern', (encoding) => {
    expect(titleOf(feedBytes('Grüße aus Köln', encoding, 'UTF-16'))).toBe('Grüße aus Köln');
  });

  it('ignores a UTF-16 declaration on ASCII-compatible bytes', () => {
    expect(titleOf(feedBytes('Grüße', 'utf8', 'UTF-16'))).toBe('Grüße');
  });
});

describe('decodeText: no mojibake when labels lie or are missing', () => {
  it('detects undeclared Windows-1251', () => {
    const long = `${RUSSIAN}. Эксперты считают, что это важный шаг для страны и её жителей.`;
    expect(titleOf(feedBytes(long, 'windows-1251', null))).toBe(long);
  });

  it('keeps valid UTF-8 even when the server says ISO-8859-1', () => {
    const bytes = feedBytes('Café “déjà vu” — naïve', 'utf8', 'iso-8859-1');
    expect(titleOf(bytes, 'text/xml; charset=ISO-8859-1')).toBe('Café “déjà vu” — naïve');
  });

  it('keeps a UTF-8 label on bytes that are not UTF-8: each bad byte is one U+FFFD', () => {
    const bytes = feedBytes('Café crème brûlée à la française', 'windows-1252', 'utf-8');
    expect(titleOf(bytes)).toBe('Caf\uFFFD cr\uFFFDme br\uFFFDl\uFFFDe \uFFFD la fran\uFFFDaise');
  });

  it('decodes plain undeclared UTF-8 text and strips its BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Hej på dig', 'utf8')]);
    expect(decodeText(bytes, { kind: 'text' })).toBe('Hej på dig');
  });

  it('ignores an unknown charset label', () => {
    const bytes = feedBytes('Grüße', 'utf8', 'x-no-such-charset');
    expect(titleOf(bytes, 'text/xml; charset=bogus')).toBe('Grüße');
  });
});
