import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/delivery/mail-transport.ts';
import { SmtpTransport, type SmtpTransportOptions } from '../../src/delivery/smtp-transport.ts';
import { TransportError } from '../../src/delivery/transport-error.ts';
import { startFaultySmtpServer, type FaultyServerOptions } from './support/faulty-smtp-server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function message(to: string, body = 'Hello\r\n.a line that starts with a dot\r\n'): OutgoingMessage {
  const raw = Buffer.from(
    `From: news@digest.example.test\r\nTo: ${to}\r\nSubject: Test\r\nMessage-ID: <m.${to}>\r\n\r\n${body}`,
    'latin1',
  );
  return {
    messageId: `<m.${to}>`,
    envelope: { from: 'news@digest.example.test', to },
    raw,
    editionId: 'daily/x',
    subscriberId: 1,
  };
}

function transport(url: string, overrides: Partial<SmtpTransportOptions> = {}): SmtpTransport {
  const t = new SmtpTransport({
    url,
    client: 'builtin',
    maxConnections: 1,
    maxMessages: 100,
    rateLimit: 1000,
    tls: { rejectUnauthorized: true },
    connectionTimeoutMs: 2000,
    greetingTimeoutMs: 2000,
    socketTimeoutMs: 2000,
    ...overrides,
  });
  cleanups.push(() => t.close());
  return t;
}

async function faulty(options: FaultyServerOptions) {
  const server = await startFaultySmtpServer(() => 'accept', options);
  cleanups.push(() => server.close());
  return server;
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the built-in SMTP client', () => {
  it('retries on a new connection when a kept one dies before any reply, without a failed attempt', async () => {
    const server = await faulty({ pipelining: true, dropAfterMessages: 1 });
    const t = transport(server.url);
    await t.send(message('one@example.test'));
    await t.send(message('two@example.test'));
    expect(server.messages.map((m) => m.to[0])).toEqual(['one@example.test', 'two@example.test']);
    expect(server.connections()).toBe(2);
  });

  it('replaces a kept connection the server closed while it was idle', async () => {
    const server = await faulty({ pipelining: true });
    const t = transport(server.url);
    await t.send(message('one@example.test'));
    server.dropConnections();
    await sleep(100);
    await t.send(message('two@example.test'));
    expect(server.messages).toHaveLength(2);
    expect(server.connections()).toBe(2);
  });

  it('keeps the connection after a refused recipient (pipelined envelope, then RSET)', async () => {
    const server = await faulty({
      pipelining: true,
      rcptReply: (address) => (address.startsWith('gone') ? '550 5.1.1 no such user' : undefined),
    });
    const t = transport(server.url);
    const refused = await failure(t.send(message('gone@example.test')));
    expect(refused).toMatchObject({ code: 'TRANSPORT_PERMANENT', recipientRejected: true, responseCode: 550 });
    await t.send(message('here@example.test'));
    expect(server.messages.map((m) => m.to)).toEqual([['here@example.test']]);
    expect(server.connections()).toBe(1);
    // This raw server keeps the wire form: the line that starts with a dot was stuffed.
    expect(server.messages[0]!.raw).toContain('\r\n..a line that starts with a dot\r\n');
  });

  it('hears a 421 to a pipelined MAIL FROM as throttling, even though the server hangs up right after', async () => {
    const server = await faulty({ pipelining: true, mailReply: () => '421 4.7.0 too many messages, slow down' });
    const error = await failure(transport(server.url).send(message('a@example.test')));
    expect(error).toMatchObject({ code: 'TRANSPORT_THROTTLED', responseCode: 421 });
    expect(server.begun()).toBe(0);
  });

  it('opens a new connection after maxMessages', async () => {
    const server = await faulty({ pipelining: true });
    const t = transport(server.url, { maxMessages: 2 });
    for (let i = 0; i < 5; i++) await t.send(message(`r${i}@example.test`));
    expect(server.messages).toHaveLength(5);
    expect(server.connections()).toBe(3);
  });

  it('treats a refused greeting as temporary: it is about the server, not the reader', async () => {
    const server = await faulty({ greeting: '554 5.3.2 not accepting mail' });
    const error = await failure(transport(server.url).send(message('a@example.test')));
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY', retryable: true, responseCode: 554 });
    expect(error.message).toMatch(/GREETING.*554 5\.3\.2/);
  });

  it('breaks off when the server does not speak SMTP, before any message', async () => {
    const server = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const error = await failure(
      transport(`smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`).send(message('a@example.test')),
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY' });
    expect(error.message).toMatch(/not an SMTP reply line/);
  });

  it('times out a server that never greets, within greetingTimeout', async () => {
    const port = await silentServer((socket) => void socket);
    const error = await failure(
      transport(`smtp://127.0.0.1:${port}`, { greetingTimeoutMs: 200 }).send(message('a@example.test')),
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY' });
    expect(error.message).toMatch(/ETIMEDOUT/);
    // The greeting timer (200 ms) decided, not the socket timeout (2000 ms): no wall-clock bound needed.
    expect(error.message).toMatch(/ETIMEDOUT at GREETING\): no reply within 200 ms/);
  });

  it('times out a TLS handshake that never completes, within connectionTimeout', async () => {
    const port = await silentServer((socket) => void socket);
    const error = await failure(
      transport(`smtps://127.0.0.1:${port}`, { connectionTimeoutMs: 200 }).send(message('a@example.test')),
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY' });
    expect(error.message).toMatch(/no connection within 200 ms/);
  });

  it('times out a server that greets and then falls silent, within socketTimeout, before any message', async () => {
    const port = await silentServer((socket) => socket.write('220 quiet.test ESMTP\r\n'));
    const error = await failure(
      transport(`smtp://127.0.0.1:${port}`, { socketTimeoutMs: 200 }).send(message('a@example.test')),
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY' });
    expect(error.message).toMatch(/ETIMEDOUT at EHLO\): no reply within 200 ms/);
  });
});

/** A TCP server on 127.0.0.1 that does `onConnection` and then never says anything more. */
async function silentServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

/** A self-signed certificate for 127.0.0.1, made by openssl in a temporary folder. */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-smtp-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

interface Received {
  to: string;
  user: string | undefined;
  secure: boolean;
  raw: Buffer;
}

async function tlsServer(options: Partial<SMTPServerOptions>, host = '127.0.0.1') {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    ...certificate(),
    onAuth(auth, _session, callback) {
      if (auth.username === 'digest' && auth.password === 'pä ss:word') callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 bad credentials'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo[0]!.address,
          user: session.user as string | undefined,
          secure: session.secure,
          raw: Buffer.concat(chunks),
        });
        callback(null);
      });
    },
    ...options,
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as net.AddressInfo).port, received };
}

describe('the built-in SMTP client with TLS and a login', () => {
  const password = encodeURIComponent('pä ss:word');

  it('upgrades with STARTTLS, then logs in, and the message arrives whole', async () => {
    const { port, received } = await tlsServer({});
    const t = transport(`smtp://digest:${password}@127.0.0.1:${port}`, { tls: { rejectUnauthorized: false } });
    await t.send(message('a@example.test'));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: 'a@example.test', user: 'digest', secure: true });
    expect((await simpleParser(received[0]!.raw)).text).toContain('.a line that starts with a dot');
  });

  it('speaks TLS from the first byte for smtps://', async () => {
    const { port, received } = await tlsServer({ secure: true });
    await transport(`smtps://digest:${password}@127.0.0.1:${port}`, { tls: { rejectUnauthorized: false } }).send(
      message('b@example.test'),
    );
    expect(received[0]).toMatchObject({ to: 'b@example.test', secure: true, user: 'digest' });
  });

  it('refuses an untrusted certificate by default, before the password is sent', async () => {
    const { port, received } = await tlsServer({});
    const error = await failure(
      transport(`smtp://digest:${password}@127.0.0.1:${port}`).send(message('c@example.test')),
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY' });
    expect(error.message).toMatch(/self[- ]signed certificate/);
    expect(received).toHaveLength(0);
  });

  it('treats a refused login as temporary and sends nothing', async () => {
    const { port, received } = await tlsServer({});
    const error = await failure(
      transport(`smtp://digest:wrong@127.0.0.1:${port}`, { tls: { rejectUnauthorized: false } }).send(
        message('d@example.test'),
      ),
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY', responseCode: 535 });
    expect(error.message).toMatch(/AUTH/);
    expect(received).toHaveLength(0);
  });

  const outward = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!outward)('never sends a password unencrypted to a host other than loopback', async () => {
    const { port, received } = await tlsServer({ hideSTARTTLS: true }, outward);
    const error = await failure(
      transport(`smtp://digest:${password}@${outward}:${port}`).send(message('e@example.test')),
    );
    expect(error.message).toMatch(/refusing to send the password unencrypted/);
    expect(received).toHaveLength(0);
  });
});
