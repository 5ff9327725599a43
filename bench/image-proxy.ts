/**
 * The image proxy (`GET /img/<token>`), over real HTTP on 127.0.0.1:
 *
 *   npx tsx bench/image-proxy.ts [IMAGES] [CACHED_REQUESTS] [CONCURRENCY]
 *
 * An article site serves a 2400×1600 photo-like JPEG and PNG made here by sharp. Times the
 * first request of IMAGES distinct image URLs each (fetch, check, scale to 1072 px, cache
 * to a folder), then CACHED_REQUESTS cache hits at CONCURRENCY at once, against the same
 * server's smallest static answer (`/assets/style.css`) as the baseline. Prints sizes
 * before and after scaling and peak RSS.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createFolderImageCache } from '../src/app/images/image-cache.ts';
import { createImageProxy } from '../src/app/images/image-proxy.ts';
import { createImageScaler } from '../src/app/images/scale-image.ts';
import { parseConfig } from '../src/config/load-config.ts';
import { systemClock } from '../src/core/clock.ts';
import { createHttpClient } from '../src/core/http/http-client.ts';
import { createSilentLogger } from '../src/core/logger.ts';
import { createImageLinker } from '../src/render/image-links.ts';
import { createWebServer } from '../src/web/create-web-server.ts';
import { loadWebViews } from '../src/web/web-views.ts';
import { createStandInService } from '../tests/web/support/stand-in-service.ts';

const IMAGES = Number(process.argv[2] ?? 20);
const CACHED_REQUESTS = Number(process.argv[3] ?? 2000);
const CONCURRENCY = Number(process.argv[4] ?? 8);
const SECRET = 'bench-secret-0123456789abcdef';

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const noise = { type: 'gaussian' as const, mean: 128, sigma: 40 };
const photo = sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#808080', noise } }).blur(3);
const bodies = { jpg: await photo.clone().jpeg({ quality: 85 }).toBuffer(), png: await photo.clone().png().toBuffer() };
const site = http.createServer((request, response) => {
  const body = request.url!.includes('.png') ? bodies.png : bodies.jpg;
  response
    .writeHead(200, {
      'content-type': request.url!.includes('.png') ? 'image/png' : 'image/jpeg',
      'content-length': body.length,
    })
    .end(body);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const siteBase = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-img-'));
const config = parseConfig(
  {
    web: { baseUrl: 'https://news.example.org', secret: SECRET, rateLimit: { perMinute: 1_000_000 } },
    fetch: { allowPrivateNetworks: true },
  },
  {},
);
const logger = createSilentLogger();
const app = await createWebServer({
  config,
  subscribers: createStandInService(),
  views: loadWebViews(path.resolve(import.meta.dirname, '../templates')),
  logger,
  clock: systemClock,
  checkHealth: async () => {},
  images: createImageProxy({
    http: createHttpClient(config.fetch),
    cache: createFolderImageCache(cacheDir),
    scale: createImageScaler({ logger }),
    logger,
    clock: systemClock,
  }),
});
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const link = createImageLinker({ mode: 'proxy', baseUrl: base, secret: () => SECRET });

async function get(url: string): Promise<number> {
  const response = await fetch(url);
  const bytes = (await response.arrayBuffer()).byteLength;
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return bytes;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const firstRequest: Record<string, { ms: number[]; served: number }> = {};
for (const kind of ['jpg', 'png'] as const) {
  firstRequest[kind] = { ms: [], served: 0 };
  for (let i = 0; i < IMAGES; i++) {
    const started = performance.now();
    firstRequest[kind].served = await get(link(`${siteBase}/photo-${i}.${kind}`)!);
    firstRequest[kind].ms.push(performance.now() - started);
  }
}

async function hammer(url: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CACHED_REQUESTS) await get(url);
    }),
  );
  return CACHED_REQUESTS / ((performance.now() - started) / 1000);
}
const cachedUrl = link(`${siteBase}/photo-0.jpg`)!;
await hammer(cachedUrl); // warm-up
const cachedRate = await hammer(cachedUrl);
const baselineRate = await hammer(`${base}/assets/style.css`);

clearInterval(sampler);
await app.close();
site.close();
rmSync(cacheDir, { recursive: true, force: true });

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
console.log(`first request (fetch + check + scale 2400→1072 px + cache), median of ${IMAGES}:`);
for (const kind of ['jpg', 'png'] as const) {
  console.log(
    `  ${kind}: ${median(firstRequest[kind]!.ms).toFixed(1)} ms; ${kb(bodies[kind].length)} from the site → ${kb(firstRequest[kind]!.served)} served`,
  );
}
console.log(
  `cache hits: ${cachedRate.toFixed(0)} req/s at concurrency ${CONCURRENCY} (${kb(firstRequest.jpg!.served)} each)`,
);
console.log(
  `baseline /assets/style.css on the same server: ${baselineRate.toFixed(0)} req/s; ratio ${(cachedRate / baselineRate).toFixed(2)}`,
);
console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
