import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { chromium, type Browser } from 'playwright-core';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFolderImageCache, createMemoryImageCache, type ImageCache } from '../../src/app/images/image-cache.ts';
import { createImageProxy, FAILURE_TTL_MS } from '../../src/app/images/image-proxy.ts';
import { createImageScaler, PROXIED_IMAGE_WIDTH } from '../../src/app/images/scale-image.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createHttpClient } from '../../src/core/http/http-client.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createImageLinker } from '../../src/render/image-links.ts';
import { createWebServer } from '../../src/web/create-web-server.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createStandInService } from './support/stand-in-service.ts';
import { TEMPLATES_DIR, WEB_TEST_CONFIG } from './support/web-app.ts';

const SECRET = WEB_TEST_CONFIG.web.secret;

/**
 * The article site: a real HTTP server on 127.0.0.1 with images made here by sharp,
 * and routes that misbehave on purpose. It counts the requests per path.
 */
interface Upstream {
  url: (path: string) => string;
  hits: Record<string, number>;
  /** Lets the held response of /hold.png go. */
  release: () => void;
  held: Promise<void>;
  close: () => Promise<void>;
}

let images: { wide: Buffer; photo: Buffer; small: Buffer; bomb: Buffer };

/** A real 1×1 PNG whose header claims 20000×20000 pixels: small on the wire, 400 megapixels decoded. */
function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  // IHDR: 8-byte signature, 4-byte length, "IHDR", then width and height; its CRC covers type and data.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(zlib.crc32(out.subarray(12, 29)), 29);
  return out;
}

let releaseLate!: () => void;
const lateRelease = new Promise<void>((resolve) => (releaseLate = resolve));

async function startUpstream(): Promise<Upstream> {
  const hits: Record<string, number> = {};
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const send = (response: http.ServerResponse, type: string, body: Buffer | string) =>
    response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  const routes: Record<string, (request: http.IncomingMessage, response: http.ServerResponse) => void> = {
    '/wide.png': (_q, r) => send(r, 'image/png', images.wide),
    '/photo.jpg': (_q, r) => send(r, 'image/jpeg; charset=binary', images.photo),
    '/small.png': (_q, r) => send(r, 'image/png', images.small),
    '/bomb.png': (_q, r) => send(r, 'image/png', images.bomb),
    '/page.html': (_q, r) => send(r, 'text/html; charset=utf-8', '<!doctype html><title>not an image</title>'),
    '/vector.svg': (_q, r) =>
      send(r, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    '/lying.png': (_q, r) => send(r, 'image/png', '<!doctype html><script>alert(1)</script>'),
    '/slow.png': () => {
      // Never answers: the fetch deadline must end it.
    },
    '/late.png': (_q, r) => {
      // Answers once the test says so (after the web server's idle limit has passed).
      void lateRelease.then(() => send(r, 'image/png', images.small));
    },
    '/drop.png': (_q, r) => {
      r.writeHead(200, { 'content-type': 'image/png', 'content-length': images.wide.length });
      r.write(images.wide.subarray(0, 64), () => r.socket?.destroy());
    },
    '/hold.png': (_q, r) => {
      markHeld();
      void released.then(() => send(r, 'image/png', images.small));
    },
  };
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    const route = routes[path];
    if (route) route(request, response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    release,
    held,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Tidings {
  app: FastifyInstance;
  base: string;
  /** The link the email carries for an image URL (the renderer's own linker). */
  link: (imageUrl: string) => string;
  logLines: () => Record<string, unknown>[];
}

const servers: FastifyInstance[] = [];
const tempDir = useTempDir('tidings-img-');
let upstream: Upstream;

beforeAll(async () => {
  const gradient = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } }).composite([
      {
        input: Buffer.from(
          `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#135"/></svg>`,
        ),
      },
    ]);
  images = {
    wide: await gradient(2400, 1200).png().toBuffer(),
    photo: await gradient(1600, 900).jpeg({ quality: 90 }).toBuffer(),
    small: await gradient(300, 200).png().toBuffer(),
    bomb: pngClaiming(
      await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
      20_000,
      20_000,
    ),
  };
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream?.close();
});
afterEach(async () => {
  for (const app of servers.splice(0)) await app.close();
});

/** Tidings' web server on 127.0.0.1 with the real proxy: cache folder, sharp, the config's fetch limits. */
async function startTidings(
  options: {
    fetch?: Record<string, unknown>;
    cache?: ImageCache;
    clock?: ReturnType<typeof createFixedClock>;
    web?: Record<string, unknown>;
    idleTimeoutMs?: number;
  } = {},
): Promise<Tidings> {
  const config = parseConfig(
    {
      ...WEB_TEST_CONFIG,
      web: { ...WEB_TEST_CONFIG.web, ...options.web },
      fetch: options.fetch ?? { allowPrivateNetworks: true, timeout: '1s' },
    },
    {},
  );
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
  const clock = options.clock ?? createFixedClock('2026-11-28T08:00:00Z');
  const proxy = createImageProxy({
    http: createHttpClient(config.fetch),
    cache: options.cache ?? createFolderImageCache(tempDir()),
    scale: createImageScaler({ logger }),
    logger,
    clock,
  });
  const app = await createWebServer(
    {
      config,
      subscribers: createStandInService(),
      views: loadWebViews(TEMPLATES_DIR),
      logger,
      clock,
      checkHealth: async () => {},
      images: proxy,
    },
    options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {},
  );
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const linker = createImageLinker({ mode: 'proxy', baseUrl: base, secret: () => SECRET });
  return {
    app,
    base,
    link: (imageUrl) => linker(imageUrl)!,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

const warnings = (tidings: Tidings) =>
  tidings
    .logLines()
    .filter((line) => line.level === 40)
    .map((line) => String(line.msg));

describe('GET /img/<token>', () => {
  it('serves a signed image scaled to the email width, with a long cache life and nosniff', async () => {
    const tidings = await startTidings();
    const response = await get(tidings.link(upstream.url('/wide.png')));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Webmail on another origin may embed it (helmet's default would be same-origin).
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const served = await sharp(response.body).metadata();
    expect(served.format).toBe('png');
    expect([served.width, served.height]).toEqual([PROXIED_IMAGE_WIDTH, PROXIED_IMAGE_WIDTH / 2]);
  });

  it('scales a JPEG and keeps it a JPEG; never enlarges a small image', async () => {
    const tidings = await startTidings();
    const photo = await get(tidings.link(upstream.url('/photo.jpg')));
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    const scaled = await sharp(photo.body).metadata();
    expect([scaled.format, scaled.width, scaled.height]).toEqual([
      'jpeg',
      PROXIED_IMAGE_WIDTH,
      Math.round((PROXIED_IMAGE_WIDTH * 900) / 1600),
    ]);
    const small = await get(tidings.link(upstream.url('/small.png')));
    expect(small.status).toBe(200);
    const kept = await sharp(small.body).metadata();
    expect([kept.width, kept.height]).toEqual([300, 200]);
  });

  it('answers 403 to a forged, tampered or foreign-secret token and fetches nothing', async () => {
    const tidings = await startTidings();
    const before = upstream.hits['/wide.png'] ?? 0;
    const token = tidings.link(upstream.url('/wide.png')).split('/img/')[1]!;
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(`i:${upstream.url('/photo.jpg')}`).toString('base64url');
    const foreign = createImageLinker({
      mode: 'proxy',
      baseUrl: tidings.base,
      secret: () => 'another-secret-0123456789abcdef',
    })(upstream.url('/wide.png'))!;
    for (const url of [
      `${tidings.base}/img/${forged}.${signature}`,
      `${tidings.base}/img/${payload}.${signature.slice(0, -3)}abc`,
      `${tidings.base}/img/${payload}`,
      foreign,
      `${tidings.base}/img/x`,
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(403);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
    expect(upstream.hits['/wide.png'] ?? 0).toBe(before);
  });

  it('refuses what is not a JPEG, PNG, GIF or WebP image, or too many pixels, with 502 and a log line naming the URL', async () => {
    const tidings = await startTidings();
    for (const path of ['/page.html', '/vector.svg', '/lying.png', '/bomb.png']) {
      const response = await get(tidings.link(upstream.url(path)));
      expect(response.status, path).toBe(502);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.body.toString()).not.toContain('<');
    }
    const logged = warnings(tidings);
    expect(logged.some((line) => line.includes(upstream.url('/page.html')) && line.includes('text/html'))).toBe(true);
    expect(logged.some((line) => line.includes(upstream.url('/vector.svg')) && line.includes('image/svg+xml'))).toBe(
      true,
    );
    expect(logged.some((line) => line.includes(upstream.url('/lying.png')) && line.includes('bytes are not'))).toBe(
      true,
    );
    // A decompression bomb is refused from its header, before any pixel is decoded.
    expect(logged.some((line) => line.includes(upstream.url('/bomb.png')) && /pixel limit/i.test(line))).toBe(true);
  });

  it('answers 502 for an upstream 404 and a dropped connection, 504 for a timeout, and keeps serving', async () => {
    const tidings = await startTidings();
    for (const [path, status] of [
      ['/gone.png', 502],
      ['/slow.png', 504],
      ['/drop.png', 502],
    ] as const) {
      const response = await get(tidings.link(upstream.url(path)));
      expect(response.status, path).toBe(status);
    }
    const logged = warnings(tidings);
    expect(logged.some((line) => line.includes(upstream.url('/gone.png')) && line.includes('HTTP 404'))).toBe(true);
    expect(
      logged.some(
        (line) => line.includes(upstream.url('/slow.png')) && line.includes('no complete response within 1000 ms'),
      ),
    ).toBe(true);
    expect(
      logged.some((line) => line.includes(upstream.url('/drop.png')) && /closed|reset|hang up|body/.test(line)),
    ).toBe(true);
    expect((await get(tidings.link(upstream.url('/small.png')))).status).toBe(200);
  });

  it("answers 504, not a dropped connection, when the site is slower than fetch.timeout and the server's idle limit", async () => {
    // The web server drops connections quiet for 100 ms; the image fetch may take 400 ms.
    const tidings = await startTidings({ fetch: { allowPrivateNetworks: true, timeout: '400ms' }, idleTimeoutMs: 100 });
    const response = await get(tidings.link(`${upstream.url('/slow.png')}?idle`));
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(
      warnings(tidings).some(
        (line) => line.includes('/slow.png?idle') && line.includes('no complete response within 400 ms'),
      ),
    ).toBe(true);
  });

  it("waits for a slow site within fetch.timeout although it is quiet longer than the server's idle limit", async () => {
    const tidings = await startTidings({ fetch: { allowPrivateNetworks: true, timeout: '30s' }, idleTimeoutMs: 100 });
    const pending = get(tidings.link(upstream.url('/late.png')));
    // Quiet for several idle limits: a server that drops idle connections would have by now.
    await new Promise((resolve) => setTimeout(resolve, 600));
    releaseLate();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
  });

  it('serves a cached image without fetching it again, also from a new server on the same cache folder', async () => {
    const cacheDir = tempDir();
    const first = await startTidings({ cache: createFolderImageCache(cacheDir) });
    const before = upstream.hits['/photo.jpg'] ?? 0;
    const one = await get(first.link(upstream.url('/photo.jpg')));
    const two = await get(first.link(upstream.url('/photo.jpg')));
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(two.body.equals(one.body)).toBe(true);
    expect(upstream.hits['/photo.jpg']).toBe(before + 1);
    const second = await startTidings({ cache: createFolderImageCache(cacheDir) });
    const three = await get(second.link(upstream.url('/photo.jpg')));
    expect(three.status).toBe(200);
    expect(three.body.equals(one.body)).toBe(true);
    expect(upstream.hits['/photo.jpg']).toBe(before + 1);
  });

  it('remembers a failure for a while instead of asking the failing site on every open', async () => {
    const clock = createFixedClock('2026-11-28T08:00:00Z');
    const tidings = await startTidings({ clock });
    const link = tidings.link(`${upstream.url('/gone.png')}?remember`);
    const before = upstream.hits['/gone.png'] ?? 0;
    expect((await get(link)).status).toBe(502);
    expect((await get(link)).status).toBe(502);
    expect(upstream.hits['/gone.png']).toBe(before + 1);
    clock.advance(FAILURE_TTL_MS + 1);
    expect((await get(link)).status).toBe(502);
    expect(upstream.hits['/gone.png']).toBe(before + 2);
  });

  it('refuses loopback image URLs unless fetch.allowPrivateNetworks is true', async () => {
    const tidings = await startTidings({ fetch: { timeout: '1s' } });
    const before = upstream.hits['/small.png'] ?? 0;
    const literal = await get(tidings.link(upstream.url('/small.png')));
    const named = await get(tidings.link(upstream.url('/small.png').replace('127.0.0.1', 'localhost')));
    expect([literal.status, named.status]).toEqual([502, 502]);
    expect(upstream.hits['/small.png'] ?? 0).toBe(before);
    const logged = warnings(tidings);
    expect(
      logged.some((line) => line.includes(upstream.url('/small.png')) && line.includes('fetch.allowPrivateNetworks')),
    ).toBe(true);
  });

  it('is not under the per-address rate limit (mail providers fetch for many readers from few addresses)', async () => {
    const tidings = await startTidings({ web: { rateLimit: { perMinute: 2 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(tidings.link(upstream.url('/small.png')))).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // The pages stay limited.
    const pages: number[] = [];
    for (let i = 0; i < 3; i++) pages.push((await get(`${tidings.base}/no-such-page`)).status);
    expect(pages).toEqual([404, 404, 429]);
  });

  it("logs the request without the reader's address", async () => {
    const tidings = await startTidings();
    await get(tidings.link(upstream.url('/small.png')));
    const request = tidings.logLines().find((line) => line.msg === 'request' && String(line.url).startsWith('/img/'));
    expect(request).toBeDefined();
    expect(Object.keys(request!).filter((key) => /ip|addr|remote|host|agent/i.test(key))).toEqual([]);
  });
});

describe('in a browser (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the proxied image in a page of another origin (webmail), scaled to the email width', async () => {
    const tidings = await startTidings();
    const html = `<!doctype html><p>Webmail</p><img id="article" src="${tidings.link(upstream.url('/wide.png'))}" alt="">`;
    const webmail = http.createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(html),
    );
    await new Promise<void>((resolve) => webmail.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(webmail.address() as AddressInfo).port}/`);
      const size = await page.evaluate(async () => {
        const image = document.getElementById('article') as HTMLImageElement;
        await image.decode().catch(() => undefined);
        return [image.naturalWidth, image.naturalHeight];
      });
      expect(size).toEqual([PROXIED_IMAGE_WIDTH, PROXIED_IMAGE_WIDTH / 2]);
    } finally {
      await page.close();
      webmail.closeAllConnections();
      await new Promise<void>((resolve) => webmail.close(() => resolve()));
    }
  });
});

describe('image proxy', () => {
  it('fetches an image once for requests that arrive while it is being fetched', async () => {
    const logger = createLogger({ level: 'silent' });
    const config = parseConfig({ fetch: { allowPrivateNetworks: true, timeout: '5s' } }, {});
    const proxy = createImageProxy({
      http: createHttpClient(config.fetch),
      cache: createMemoryImageCache(),
      scale: createImageScaler({ logger }),
      logger,
      clock: createFixedClock('2026-11-28T08:00:00Z'),
    });
    const loads = Array.from({ length: 5 }, () => proxy.load(upstream.url('/hold.png')));
    await upstream.held;
    upstream.release();
    const results = await Promise.all(loads);
    expect(upstream.hits['/hold.png']).toBe(1);
    for (const result of results) expect(result).toBe(results[0]);
    expect(results[0]!.contentType).toBe('image/png');
  });

  it('serves the original bytes unscaled when sharp cannot be loaded, and says so once', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: new Writable({
        write: (chunk, _e, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const config = parseConfig({ fetch: { allowPrivateNetworks: true, timeout: '5s' } }, {});
    const scale = createImageScaler({
      logger,
      loadSharp: () => Promise.reject(new Error('no prebuilt binary for this platform')),
    });
    const proxy = createImageProxy({
      http: createHttpClient(config.fetch),
      cache: createMemoryImageCache(),
      scale,
      logger,
      clock: createFixedClock('2026-11-28T08:00:00Z'),
    });
    const wide = await proxy.load(upstream.url('/wide.png'));
    const photo = await proxy.load(upstream.url('/photo.jpg'));
    expect(Buffer.from(wide.bytes).equals(images.wide)).toBe(true);
    expect(Buffer.from(photo.bytes).equals(images.photo)).toBe(true);
    expect(lines.filter((line) => line.includes('sharp could not be loaded'))).toHaveLength(1);
  });
});
