import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SinkBehaviour {
  /** Return an SMTP error to refuse this recipient. */
  onRcpt?(address: string, session: SMTPServerSession): SmtpReply | undefined;
  /** Return an SMTP error to refuse the message after DATA, or 'drop' to cut the connection mid-DATA. */
  onData?(message: SinkMessage, session: SMTPServerSession): SmtpReply | 'drop' | undefined;
  /** Delay before answering DATA. */
  delayMs?: number;
}

export interface SmtpReply {
  code: number;
  text: string;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: SinkMessage[];
  rcptAttempts: Map<string, number>;
  close(): Promise<void>;
}

function smtpError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.text), { responseCode: reply.code });
}

/** A real SMTP server on 127.0.0.1 (port 0) that keeps what it accepts. */
export async function startSmtpSink(behaviour: SinkBehaviour = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const rcptAttempts = new Map<string, number>();
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, session, callback) {
      rcptAttempts.set(address.address, (rcptAttempts.get(address.address) ?? 0) + 1);
      const reply = behaviour.onRcpt?.(address.address, session);
      callback(reply ? smtpError(reply) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const message: SinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        };
        const reply = behaviour.onData?.(message, session);
        if (reply === 'drop') {
          // Cut the connection before the final reply: the client cannot know the outcome.
          for (const connection of (
            server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
          ).connections) {
            if (connection.id === session.id) connection._socket.destroy();
          }
          return;
        }
        const finish = () => {
          if (reply) return callback(smtpError(reply));
          messages.push(message);
          callback(null);
        };
        if (behaviour.delayMs) setTimeout(finish, behaviour.delayMs);
        else finish();
      });
    },
  });
  // Clients that are killed or cut off reset their sockets; that is part of the tests, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rcptAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
