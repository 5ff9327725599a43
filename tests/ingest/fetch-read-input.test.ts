import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLimits } from '../../src/config/schema.ts';
import { SourceError } from '../../src/core/errors.ts';
import { createHttpClient } from '../../src/core/http/http-client.ts';
import { readInput } from '../../src/ingest/read-input.ts';

const limits: FetchLimits = { maxBytes: 1024, timeout: 2000, maxRedirects: 2, userAgent: 'TidingsTest/1.0' };
const client = createHttpClient(limits);
let dir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'tidings-read-input-'));
  writeFileSync(join(dir, 'feed.xml'), '<rss><channel><title>Files</title></channel></rss>');
  writeFileSync(join(dir, 'big.xml'), Buffer.alloc(limits.maxBytes + 1, 0x20));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end('<rss><channel><title>HTTP</title></channel></rss>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function readError(pathOrUrl: string): Promise<SourceError> {
  try {
    await readInput(pathOrUrl, client);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error(`expected reading ${pathOrUrl} to fail`);
}

describe('readInput', () => {
  it('reads a file, with no content type and the path as location', async () => {
    const resource = await readInput(join(dir, 'feed.xml'), client);
    expect(Buffer.from(resource.bytes).toString()).toContain('<title>Files</title>');
    expect(resource).toMatchObject({ contentType: null, location: join(dir, 'feed.xml'), isUrl: false });
  });

  it('reads a file: URL as a file', async () => {
    const resource = await readInput(pathToFileURL(join(dir, 'feed.xml')).href, client);
    expect(Buffer.from(resource.bytes).toString()).toContain('Files');
  });

  it('fetches http URLs', async () => {
    const resource = await readInput(`${base}/feed`, client);
    expect(resource).toMatchObject({ isUrl: true, contentType: 'application/rss+xml', location: `${base}/feed` });
  });

  it('names the path for a missing file, a directory and an unreadable file', async () => {
    const missing = await readError(join(dir, 'nope.xml'));
    expect(missing.code).toBe('SOURCE_FETCH');
    expect(missing.message).toBe(`${join(dir, 'nope.xml')}: no such file (ENOENT)`);
    const directory = await readError(dir);
    expect(directory.message).toBe(`${dir}: is a directory, not a file (EISDIR)`);
  });

  it.skipIf(process.getuid?.() === 0)('names the path for a file without read permission', async () => {
    const locked = join(dir, 'locked.xml');
    writeFileSync(locked, '<rss/>');
    chmodSync(locked, 0o000);
    expect((await readError(locked)).message).toBe(`${locked}: permission denied (EACCES)`);
  });

  it('applies the same size limit to files', async () => {
    const error = await readError(join(dir, 'big.xml'));
    expect(error.code).toBe('SOURCE_TOO_LARGE');
    expect(error.message).toContain(join(dir, 'big.xml'));
  });

  it('refuses other URL schemes', async () => {
    expect((await readError('ftp://example.com/feed.xml')).message).toMatch(/only http\(s\) URLs and local files/);
  });
});
