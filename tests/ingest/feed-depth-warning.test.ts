import path from 'node:path';
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { CategoryMapper } from '../../src/ingest/category-mapper.ts';
import { ingestSources } from '../../src/ingest/ingest-sources.ts';
import { createPageExtractor } from '../../src/ingest/page/page-extractor.ts';
import { readSource } from '../../src/ingest/read-source.ts';
import { createHttpClient } from '../../src/core/http/http-client.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { runCli } from '../helpers/cli-run.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/** A feed whose second item holds nesting far past the 4,096 levels the feed reader keeps. */
const DEEP_FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Deep</title>
<item><title>First story</title><link>https://deep.example/1</link><description>Kept: it comes before the deep part.</description></item>
<item><title>Second story</title><link>https://deep.example/2</link><description>${'<x>'.repeat(5000)}lost${'</x>'.repeat(5000)}</description></item>
<item><title>Third story</title><link>https://deep.example/3</link></item>
</channel></rss>`;
const SHALLOW_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Shallow</title>
<item><title>Shallow story</title><link>https://shallow.example/1</link></item></channel></rss>`;

describe('a feed nested deeper than 4,096 levels', () => {
  const tempDir = useTempDir();
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  beforeAll(async () => {
    server = await startFixtureServer({
      '/deep.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(DEEP_FEED),
      '/shallow.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(SHALLOW_FEED),
    });
  });
  afterAll(async () => server.close());

  const WARNING =
    /elements nested deeper than 4096 levels at line 4; the rest of the document \(\d+ characters\) was ignored/;

  it('is stored up to the deep part, with a warning under the source in the ingest output', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      config,
      `store: { path: t.db }\nsources:\n  - { name: deep, type: feed, url: "${server.url('/deep.xml')}", fullText: never }\n  - { name: shallow, type: feed, url: "${server.url('/shallow.xml')}", fullText: never }\n`,
    );
    const result = await runCli(['-q', '-c', config, 'ingest']);
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^deep\s+ok\s+new 2,/);
    expect(lines[1]).toMatch(/^\s+warning /);
    expect(lines[1]).toMatch(WARNING);
    expect(lines[2]).toMatch(/^shallow\s+ok\s+new 1,/);
    expect(lines).toHaveLength(3);
  });

  it('logs the warning with the source name', async () => {
    const dir = tempDir();
    const logged: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const store = openSqliteStore(path.join(dir, 't.db'));
    const pages = createPageExtractor(parseConfig({}, {}).parse);
    try {
      const limits = parseConfig({}, {}).fetch;
      const [report] = await ingestSources(
        [
          {
            name: 'deep',
            type: 'feed',
            url: server.url('/deep.xml'),
            categories: [],
            enabled: true,
            every: 1_800_000,
            fullText: 'never',
          },
        ],
        {
          store: store.articles,
          clock: createFixedClock('2026-12-01T08:00:00Z'),
          logger: createLogger({ level: 'warn', destination }),
          mapper: new CategoryMapper({}),
          enricher: { enrich: async (records) => records },
          readSource: (source) => readSource(source, { baseDir: dir, http: createHttpClient(limits), pages }),
        },
      );
      expect(report).toMatchObject({ ok: true, new: 2 });
      expect(report!.warnings).toHaveLength(1);
      const entries = logged.map((line) => JSON.parse(line) as { level: number; source: string; msg: string });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ level: 40, source: 'deep' });
      expect(entries[0]!.msg).toMatch(WARNING);
    } finally {
      await pages.close();
      store.close();
    }
  });
});
