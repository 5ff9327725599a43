import net from 'node:net';

export interface FaultyImapServer {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A server on 127.0.0.1 that misbehaves on purpose:
 * - `silent`: accepts the connection and never says a word (no greeting);
 * - `drop-after-greeting`: greets like an IMAP server, then cuts the connection;
 * - `{ proxyTo, dropWhen }`: passes everything to a real server (cleartext, so the test can
 *   read the commands) and, at the first client command for which `dropWhen(command)` is
 *   true (once per server), cuts both sides without passing it on, or with `stall: true`
 *   keeps the connection open and passes nothing more either way (a server that hangs).
 */
export async function startFaultyImapServer(
  fault:
    | 'silent'
    | 'drop-after-greeting'
    | { proxyTo: number; dropWhen: (command: string) => boolean; stall?: boolean },
): Promise<FaultyImapServer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  let dropped = false;
  const server = net.createServer((client) => {
    count++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (fault === 'silent') return;
    if (fault === 'drop-after-greeting') {
      client.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n', () => client.destroy());
      return;
    }
    const upstream = net.connect(fault.proxyTo, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    let stalled = false;
    upstream.on('data', (chunk) => {
      if (!stalled) client.write(chunk);
    });
    upstream.on('end', () => client.end());
    client.on('data', (chunk) => {
      if (stalled) return;
      if (
        !dropped &&
        chunk
          .toString('latin1')
          .split('\r\n')
          .some((line) => line && fault.dropWhen(line))
      ) {
        dropped = true;
        if (fault.stall) {
          stalled = true;
          return;
        }
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
