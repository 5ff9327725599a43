import { EventEmitter } from 'node:events';
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
