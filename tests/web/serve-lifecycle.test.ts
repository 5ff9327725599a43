import { EventEmitter } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/core/logger.ts';
import { listenUntilClosed, type SignalSource } from '../../src/web/listen-until-closed.ts';
import { createStandInService } from './support/stand-in-service.ts';
import { buildWebApp } from './support/web-app.ts';

describe('the server on a signal', () => {
  it('stops accepting connections, finishes the request in flight, then resolves closed', async () => {
    const service = createStandInService();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const describe = service.describeToken.bind(service);
    service.describeToken = async (token, purpose) => {
      arrived();
      await held;
      return describe(token, purpose);
    };
    const { app } = await buildWebApp(service);
    const signals = new EventEmitter() as EventEmitter & SignalSource;
    const server = await listenUntilClosed(app, { host: '127.0.0.1', port: 0, logger: createSilentLogger(), signals });
    expect(server.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const slow = fetch(`${server.address}/u/${service.tokens.unsubscribe}`);
    await inFlight;
    signals.emit('SIGTERM');
    // A new connection is refused once closing started; the held request is still served.
    await expect(fetch(`${server.address}/healthz`)).rejects.toThrow();
    let closedYet = false;
    void server.closed.then(() => (closedYet = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedYet).toBe(false);
    release();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Unsubscribe from Daily Brief');
    await server.closed;
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('clients that go away', () => {
  async function listening(idleTimeoutMs?: number) {
    const service = createStandInService();
    const { app } = await buildWebApp(service, {}, async () => {}, idleTimeoutMs);
    const signals = new EventEmitter() as EventEmitter & SignalSource;
    const server = await listenUntilClosed(app, { host: '127.0.0.1', port: 0, logger: createSilentLogger(), signals });
    const { port } = new URL(server.address);
    return { service, server, port: Number(port) };
  }

  function rawRequest(port: number, text: string): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(text);
        resolve(socket);
      });
      socket.on('error', reject);
    });
  }

  it('a one-click POST whose body is cut off by a dropped connection changes nothing', async () => {
    const { service, server, port } = await listening();
    const socket = await rawRequest(
      port,
      `POST /u/${service.tokens.unsubscribe} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\nList-Unsub`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    // The server carries on, and the reader is still subscribed.
    const health = await fetch(`${server.address}/healthz`);
    expect(health.status).toBe(200);
    expect(service.calls.unsubscribe).toBe(0);
    expect(service.state).toBe('active');
    await server.close();
  });

  it("a one-click POST whose reply is lost has unsubscribed; the client's retry gets 200 again", async () => {
    const { service, server, port } = await listening();
    const socket = await rawRequest(
      port,
      `POST /u/${service.tokens.unsubscribe} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\nList-Unsubscribe=One-Click`,
    );
    socket.destroy();
    await expect.poll(() => service.calls.unsubscribe, { timeout: 5_000 }).toBe(1);
    const retry = await fetch(`${server.address}/u/${service.tokens.unsubscribe}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(retry.status).toBe(200);
    expect(await retry.text()).toContain('You are unsubscribed');
    expect(service.state).toBe('unsubscribed');
    await server.close();
  });
});

describe('a client that stalls mid-request', () => {
  it('loses the connection once it stalls, changing nothing', async () => {
    const service = createStandInService();
    const { app } = await buildWebApp(service, {}, async () => {}, 300);
    const server = await listenUntilClosed(app, {
      host: '127.0.0.1',
      port: 0,
      logger: createSilentLogger(),
      signals: new EventEmitter() as EventEmitter & SignalSource,
    });
    const socket = net.connect(Number(new URL(server.address).port), '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /u/${service.tokens.unsubscribe} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\nList`,
    );
    await ended;
    // No answer at all, or a 408: either way the request never reached the route.
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
    expect(service.calls.unsubscribe).toBe(0);
    await server.close();
  });
});
