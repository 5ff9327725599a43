import net from 'node:net';

/**
 * What the server does with one message (decided when the client sends DATA):
 * - `accept`: keeps it and answers 250;
 * - `drop-before-body`: cuts the connection after the DATA command, before any byte of the body;
 * - `drop-after-dot`: keeps it, then cuts the connection without replying (the reply is lost);
 * - `silent`: keeps it and never answers (the connection stays open);
 * - `{ delayMs }`: keeps it and answers 250 after a while;
 * - `{ code, text }`: refuses it with that reply.
 */
export type MessageFault =
  | 'accept'
  | 'drop-before-body'
  | 'drop-after-dot'
  | 'silent'
  | { delayMs: number }
  | { code: number; text: string };

export interface FaultContext {
  /** The envelope recipients of this message. */
  to: string[];
  /** How many times DATA was sent for this first recipient so far, this one included. */
  attempt: number;
  /** Messages begun on this server so far, this one included. */
  index: number;
}

export interface ReceivedMessage {
  to: string[];
  raw: string;
  /** What the server did after keeping it (a kept message may still be "lost" to the client). */
  fault: 'accept' | 'drop-after-dot' | 'silent' | 'delayed';
}

export interface FaultySmtpServer {
  url: string;
  /** Every message the server kept: the copies a reader would get. */
  messages: ReceivedMessage[];
  /** Messages begun (DATA sent), kept or not. */
  begun(): number;
  copiesFor(address: string): number;
  /** Connections accepted so far. */
  connections(): number;
  /** Cuts every open connection (a server restarting, or timing out idle clients). */
  dropConnections(): void;
  close(): Promise<void>;
}

const BODY_END = Buffer.from('\r\n.\r\n');

export interface FaultyServerOptions {
  /** Advertise PIPELINING in the EHLO reply (the built-in client then sends the envelope in one write). */
  pipelining?: boolean;
  /** The greeting line, e.g. `554 go away` to refuse every connection. */
  greeting?: string;
  /** The reply to MAIL FROM (undefined: 250); a 421 also closes the connection, as servers do. */
  mailReply?: () => string | undefined;
  /** The reply to RCPT TO for an address, e.g. `550 5.1.1 no such user`; undefined: 250. */
  rcptReply?: (address: string) => string | undefined;
  /**
   * After this many messages on a connection, cut it at the client's next command without
   * a reply: what a client meets when the server closed a kept connection just as it reused it.
   */
  dropAfterMessages?: number;
}

/**
 * A raw SMTP server on 127.0.0.1 that misbehaves on purpose at the end of DATA: the
 * faults an smtp-server cannot produce (no reply after the final `.`, silence, a
 * connection cut right after DATA). It speaks just enough SMTP for both SMTP clients (PIPELINING when asked to offer it).
 */
export async function startFaultySmtpServer(
  decide: (context: FaultContext) => MessageFault,
  options: FaultyServerOptions = {},
): Promise<FaultySmtpServer> {
  const messages: ReceivedMessage[] = [];
  const sockets = new Set<net.Socket>();
  const attempts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let begun = 0;
  let connections = 0;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    connections++;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let mode: 'command' | 'data' = 'command';
    let pending = Buffer.alloc(0);
    let rcpt: string[] = [];
    let fault: MessageFault = 'accept';
    let body: Buffer[] = [];
    let handled = 0;
    const reply = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };

    const onCommand = (line: string) => {
      if (socket.writableEnded) return; // hung up: what the client pipelined after that is never read
      if (options.dropAfterMessages !== undefined && handled >= options.dropAfterMessages) return socket.destroy();
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') return reply(options.pipelining ? '250-faulty.test\r\n250 PIPELINING' : '250 faulty.test');
      if (verb === 'HELO') return reply('250 faulty.test');
      if (verb === 'MAIL') {
        rcpt = [];
        const refusal = options.mailReply?.();
        if (refusal) {
          reply(refusal);
          if (refusal.startsWith('421')) socket.end();
          return;
        }
        return reply('250 2.1.0 Ok');
      }
      if (verb === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        const refusal = options.rcptReply?.(address);
        if (refusal) return reply(refusal);
        rcpt.push(address);
        return reply('250 2.1.5 Ok');
      }
      if (verb === 'DATA') {
        if (rcpt.length === 0) return reply('554 5.5.1 no valid recipients');
        begun++;
        const first = rcpt[0] ?? '';
        attempts.set(first, (attempts.get(first) ?? 0) + 1);
        fault = decide({ to: [...rcpt], attempt: attempts.get(first)!, index: begun });
        if (fault === 'drop-before-body') return socket.destroy();
        mode = 'data';
        body = [];
        return reply('354 End data with <CR><LF>.<CR><LF>');
      }
      if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        return socket.end();
      }
      return reply('250 2.0.0 Ok'); // RSET, NOOP and anything else
    };

    const onMessage = (raw: string) => {
      const to = [...rcpt];
      if (fault === 'accept') {
        messages.push({ to, raw, fault: 'accept' });
        handled++;
        return reply('250 2.0.0 Ok: queued');
      }
      if (fault === 'drop-after-dot') {
        messages.push({ to, raw, fault: 'drop-after-dot' });
        return socket.destroy();
      }
      if (fault === 'silent') {
        messages.push({ to, raw, fault: 'silent' });
        return;
      }
      if (typeof fault === 'object' && 'delayMs' in fault) {
        messages.push({ to, raw, fault: 'delayed' });
        const timer = setTimeout(() => {
          timers.delete(timer);
          reply('250 2.0.0 Ok: queued');
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      if (typeof fault === 'object') return reply(`${fault.code} ${fault.text}`);
    };

    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (mode === 'data') {
          const end = pending.indexOf(BODY_END);
          if (end < 0) return;
          body.push(pending.subarray(0, end + 2));
          pending = pending.subarray(end + BODY_END.length);
          mode = 'command';
          onMessage(Buffer.concat(body).toString('utf8'));
          continue;
        }
        const newline = pending.indexOf('\r\n');
        if (newline < 0) return;
        const line = pending.subarray(0, newline).toString('utf8');
        pending = pending.subarray(newline + 2);
        onCommand(line);
      }
    });
    reply(options.greeting ?? '220 faulty.test ESMTP');
    if (options.greeting && !options.greeting.startsWith('220')) socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    begun: () => begun,
    connections: () => connections,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    copiesFor: (address) => messages.filter((m) => m.to.includes(address)).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
