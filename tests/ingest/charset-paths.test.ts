import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/core/http/http-client.ts';
import type { FetchLimits } from '../../src/config/schema.ts';
import { inspectInputs } from '../../src/ingest/inspect-inputs.ts';
import { createPageExtractor } from '../../src/ingest/page/page-extractor.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';

/**
 * Charsets through the whole inspect path (read or fetch → decode → detect kind →
 * parse), where the name or Content-Type does not say what the bytes are.
 */
const limits: FetchLimits = { maxBytes: 1 << 20, timeout: 5000, maxRedirects: 2, userAgent: 'TidingsTest/1.0' };
const passThrough = { enrich: async <T>(records: T[]) => records };
const pages = createPageExtractor({
  timeout: 20_000,
  maxDepth: 128,
  maxElements: 50_000,
  maxText: 500_000,
  maxMemory: 96 * 2 ** 20,
});

const TITLES: Record<string, string> = {
  'KOI8-R': 'Порты готовятся к зимней навигации раньше обычного',
  'windows-1251': 'Порты готовятся к зимней навигации раньше обычного',
  'ISO-8859-5': 'Порты готовятся к зимней навигации раньше обычного',
  'ISO-8859-2': 'Łódź i Kraków: nowe połączenia kolejowe już w grudniu',
  'ISO-8859-7': 'Νέα σιδηροδρομική γραμμή ανοίγει στη Θεσσαλονίκη',
  'windows-1250': 'Příliš žluťoučký kůň úpěl ďábelské ódy',
  'windows-1252': 'Café owners in São Paulo welcome “fair” rent rules',
  'windows-1256': 'افتتاح خط عبارات جديد في ميناء الإسكندرية',
  Shift_JIS: '東京の港で新しいフェリー航路が開設される',
  'EUC-KR': '부산항에 새로운 여객선 항로가 열렸다',
  Big5: '台北港開設新的渡輪航線，旅客人數創新高',
};

function feed(title: string, declared: string | null): string {
  const declaration = declared ? `<?xml version="1.0" encoding="${declared}"?>` : '<?xml version="1.0"?>';
  return `${declaration}\n<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>Wire</description>
<item><title>${title}</title><link>https://wire.example/1</link><description>${title}. ${title}.</description></item></channel></rss>\n`;
}

async function titleOf(input: string): Promise<string> {
  const [result] = await inspectInputs([input], {
    http: createHttpClient(limits),
    categories: {},
    enricher: passThrough,
    pages,
  });
  if (!result || 'error' in result) throw new Error(result?.error ?? 'no result');
  return result.articles[0]!.title;
}

let dir: string;
let server: Awaited<ReturnType<typeof startFixtureServer>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-charsets-'));
  const routes: Parameters<typeof startFixtureServer>[0] = {};
  for (const [charset, title] of Object.entries(TITLES)) {
    const bytes = iconv.encode(feed(title, charset), charset);
    // No extension and a Content-Type that says nothing about XML: only the declaration tells.
    writeFileSync(path.join(dir, `declared-${charset}`), bytes);
    routes[`/declared/${charset}`] = (_q, r) => r.writeHead(200, { 'content-type': 'text/plain' }).end(bytes);
    writeFileSync(path.join(dir, `undeclared-${charset}.xml`), iconv.encode(feed(title, null), charset));
  }
  server = await startFixtureServer(routes);
});

afterAll(async () => {
  await pages.close();
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

describe('charsets through inspect', () => {
  it.each(Object.keys(TITLES))('%s declared in the XML of a file without extension', async (charset) => {
    expect(await titleOf(path.join(dir, `declared-${charset}`))).toBe(TITLES[charset]);
  });

  it.each(Object.keys(TITLES))('%s declared in the XML of a feed served as text/plain', async (charset) => {
    expect(await titleOf(server.url(`/declared/${charset}`))).toBe(TITLES[charset]);
  });

  // Short feeds: tag names must not outvote the text in charset detection.
  it.each(Object.keys(TITLES))('%s undeclared in a short feed', async (charset) => {
    expect(await titleOf(path.join(dir, `undeclared-${charset}.xml`))).toBe(TITLES[charset]);
  });
});
