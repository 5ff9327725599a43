import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/context.ts';
import { imageLinkerFor } from '../../src/app/edition-pipeline.ts';
import { listenWebServer } from '../../src/cli/commands/web-server-wiring.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

describe('the image proxy as `tidings serve` wires it', () => {
  const tempDir = useTempDir();

  it("serves the renderer's /img/ link with the secret of the data folder and caches beside the store", async () => {
    const png = await sharp({ create: { width: 1500, height: 500, channels: 3, background: '#2a6' } })
      .png()
      .toBuffer();
    let hits = 0;
    const site = http.createServer((_request, response) => {
      hits += 1;
      response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const dir = tempDir();
    const file = path.join(dir, 'tidings.config.yaml');
    // No web.secret: the server and the renderer share the one created in data/.
    writeFileSync(
      file,
      'store:\n  path: data/tidings.db\nfetch:\n  allowPrivateNetworks: true\nweb:\n  baseUrl: https://news.example.org\n  port: 0\n',
    );
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const ctx = createAppContext({
      loaded: loadConfig(file, {}),
      clock: createFixedClock('2026-11-28T08:00:00Z'),
      logger: createLogger({ level: 'silent' }),
      env: {},
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: quiet,
      templatesDir: TEMPLATES_DIR,
    });
    const server = await listenWebServer(ctx);
    try {
      expect(ctx.config.images).toBe('proxy');
      const imageUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/banner.png`;
      const link = imageLinkerFor(ctx)(imageUrl)!;
      expect(link.startsWith('https://news.example.org/img/')).toBe(true);
      const local = link.replace('https://news.example.org', server.address);
      for (let i = 0; i < 2; i++) {
        const response = await fetch(local);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/png');
        expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(1072);
      }
      expect(hits).toBe(1);
      expect(readdirSync(path.join(dir, 'data', 'image-cache')).filter((name) => name.endsWith('.img'))).toHaveLength(
        1,
      );
      expect(readdirSync(path.join(dir, 'data'))).toContain('secret');
    } finally {
      await server.close();
      ctx.close();
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });
});
