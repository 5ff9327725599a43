import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with the next request: answer with a status, never answer, or drop the connection. */
export type Behaviour = number | 'hang' | 'drop';

export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
  /** The body as the published Standard Webhooks library verified it, or why it refused it. */
  verified: unknown;
  error: string | null;
}

/**
 * A webhook receiver on 127.0.0.1 that checks every request with the `standardwebhooks`
 * package (`Webhook(secret).verify`), as a real receiver would. `script` says what to do
 * with each request in turn; once it runs out, requests get 204.
 */
export async function startReceiver(secret: string, script: Behaviour[] = []) {
  const received: ReceivedHook[] = [];
  const verifier = new Webhook(secret);
  const waiters: (() => void)[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      ) as Record<string, string>;
      let verified: unknown = null;
      let error: string | null = null;
      try {
        verified = verifier.verify(body, headers);
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
      received.push({ headers, body, verified, error });
      for (const wake of waiters.splice(0)) wake();
      const behaviour = script.shift() ?? 204;
      if (behaviour === 'hang') return;
      if (behaviour === 'drop') return request.socket.destroy();
      response.writeHead(behaviour, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Resolves once `count` requests have come in. */
    async waitFor(count: number): Promise<void> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A fresh Standard Webhooks secret. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
