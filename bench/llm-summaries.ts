/**
 * Edition build with summaries.llm against a local fake model that answers after a fixed
 * latency: how maxConcurrent shortens a build, and what a cached rebuild costs.
 *
 *   npx tsx bench/llm-summaries.ts [ARTICLES] [LATENCY_MS]
 *
 * For each maxConcurrent (1, 2, 4): a preview build (every article asks the model), then
 * a second preview (every answer from the store: no request). Prints wall times, requests
 * and the most requests in flight. A real model's latency replaces the fixed one.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../src/app/context.ts';
import { EditionPipeline, rendererFor } from '../src/app/edition-pipeline.ts';
import { parseConfig } from '../src/config/load-config.ts';
import { createFixedClock } from '../src/core/clock.ts';
import { createSilentLogger } from '../src/core/logger.ts';
import { contentHashFor } from '../src/ingest/normalize-article.ts';

const ARTICLES = Number(process.argv[2] ?? 15);
const LATENCY = Number(process.argv[3] ?? 100);
const AT = '2026-11-28T07:00:00Z';

let inFlight = 0;
let peak = 0;
let requests = 0;
const server = http.createServer((req, res) => {
  requests += 1;
  inFlight += 1;
  peak = Math.max(peak, inFlight);
  req.resume();
  req.on('end', () =>
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [
            {
              message: {
                role: 'assistant',
                content: 'The pier reopened after three weeks of repairs; ferries resume at dawn.',
              },
              finish_reason: 'stop',
            },
          ],
        }),
      );
    }, LATENCY),
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

console.log(`${ARTICLES} articles, model latency ${LATENCY} ms`);
for (const maxConcurrent of [1, 2, 4]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-llm-'));
  const config = parseConfig(
    {
      store: { path: path.join(dir, 'bench.db') },
      categories: { world: { title: 'World' } },
      summaries: { llm: { baseUrl, model: 'bench', maxConcurrent, timeout: '30s' } },
      newsletters: [
        {
          id: 'daily',
          title: 'Daily',
          categories: ['world'],
          window: '24h',
          perCategory: ARTICLES,
          maxArticles: ARTICLES,
          minArticles: 1,
          from: 'd@example.org',
          timezone: 'UTC',
        },
      ],
      web: { secret: 'bench-secret-0123456789abcdef' },
    },
    {},
  );
  const ctx = createAppContext({
    loaded: { config, baseDir: dir, file: path.join(dir, 'tidings.config.yaml'), exists: true },
    clock: createFixedClock(AT),
    logger: createSilentLogger(),
    env: {},
    out: () => {},
    err: () => {},
    interactive: false,
    stdout: process.stdout,
    templatesDir: path.resolve('templates'),
  });
  const records = Array.from({ length: ARTICLES }, (_, i) => {
    const title = `Pier ${i} reopens`;
    const text = `The northern pier number ${i} reopened on Friday. Repairs took three weeks. Ferries resume at dawn.`;
    return {
      id: `a${i}`,
      url: `https://news.example.org/${i}`,
      title,
      text,
      summary: 'Extractive.',
      description: null,
      publishedAt: new Date(Date.parse(AT) - (i + 1) * 60_000).toISOString(),
      categories: ['world'],
      categoryOrigin: 'source' as const,
      source: 'wire',
      sourceTitle: 'Wire',
      author: null,
      imageUrl: null,
      language: 'en',
      contentHash: contentHashFor(title, text),
    };
  });
  await ctx.store.articles.saveArticles(records, new Date(AT));
  // Templates compile once per context: not part of what is measured.
  await rendererFor(ctx, ctx.config.newsletters[0]!);
  requests = 0;
  peak = 0;
  const timed = async () => {
    const start = performance.now();
    await EditionPipeline.open(ctx, 'daily', new Date(AT), { save: false });
    return performance.now() - start;
  };
  const cold = await timed();
  const coldRequests = requests;
  const warm = await timed();
  console.log(
    `maxConcurrent ${maxConcurrent}: first build ${cold.toFixed(0)} ms (${coldRequests} requests, at most ${peak} in flight); ` +
      `cached rebuild ${warm.toFixed(0)} ms (${requests - coldRequests} requests)`,
  );
  ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
server.closeAllConnections();
server.close();
