import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLimits } from '../../src/config/schema.ts';
import { createHttpClient } from '../../src/core/http/http-client.ts';

const limits: FetchLimits = { maxBytes: 64 * 1024, timeout: 3000, maxRedirects: 3, userAgent: 'TidingsTest/1.0' };
const BODY = '<rss version="2.0"><channel><title>Kept alive</title></channel></rss>';

/**
 * A raw HTTP/1.1 server that keeps a connection alive after its first answer and resets
 * it when a second request arrives on it: what a client meets when the server closed an
 * idle kept-alive connection just as the client reused it. `answerReused` makes it answer
 * every request instead (a control).
 */
function startResettingServer(resetReused: boolean) {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let requests = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    connections += 1;
    let served = 0;
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      while (buffer.includes('\r\n\r\n')) {
        buffer = buffer.slice(buffer.indexOf('\r\n\r\n') + 4);
        requests += 1;
        if (served > 0 && resetReused) {
          socket.resetAndDestroy();
          return;
        }
        served += 1;
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: keep-alive\r\nkeep-alive: timeout=60\r\n\r\n${BODY}`,
        );
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise<{ url: string; stats: () => { connections: number; requests: number }; close(): Promise<void> }>(
    (resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${port}/feed.xml`,
          stats: () => ({ connections, requests }),
          close: () =>
            new Promise((done) => {
              for (const socket of sockets) socket.destroy();
              server.close(() => done());
            }),
        });
      });
    },
  );
}

describe('a kept-alive connection reset before any reply', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('is sent again once, on a new connection, and the source reads normally', async () => {
    const server = await startResettingServer(true);
    close = server.close;
    const client = createHttpClient(limits);
    const first = await client.get(server.url);
    expect(Buffer.from(first.bytes).toString()).toBe(BODY);
    // The pool takes the connection back once the first exchange has wound down.
    await new Promise((resolve) => setImmediate(resolve));
    // Same client, same host: the pool reuses the kept-alive socket, which the server resets.
    const second = await client.get(server.url).finally(() => client.close());
    expect(Buffer.from(second.bytes).toString()).toBe(BODY);
    expect(server.stats()).toEqual({ connections: 2, requests: 3 });
  });
});
