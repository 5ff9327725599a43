import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../src/delivery/transport-error.ts';

const before = { messageComplete: false };
const after = { messageComplete: true };

// nodemailer's shapes: socket failures carry command 'CONN' at every stage, replies carry responseCode.
const dropped = { code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' };
const timedOut = { code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' };
const reset = { code: 'ESOCKET', command: 'CONN', message: 'read ECONNRESET' };

describe('classifySmtpError: where the end of DATA decides', () => {
  it.each([
    ['a dropped connection', dropped],
    ['a socket timeout', timedOut],
    ['a reset', reset],
    ['a garbled reply', { code: 'EPROTOCOL', command: 'CONN', response: 'hello?', message: 'Unexpected Response' }],
  ])('%s before the final dot is temporary (safe to retry), after it ambiguous (never retried)', (_, error) => {
    expect(classifySmtpError(error, undefined, before)).toMatchObject({ code: 'TRANSPORT_TEMPORARY', retryable: true });
    const ambiguous = classifySmtpError(error, 'smtp://mx:25', after);
    expect(ambiguous).toMatchObject({ code: 'TRANSPORT_AMBIGUOUS', retryable: false, responseCode: null });
    expect(ambiguous.message).toMatch(/no reply after the end of DATA .*may have accepted/);
  });

  it('a clear reply decides whatever the stage: 4xx temporary or throttled, 5xx permanent', () => {
    expect(
      classifySmtpError(
        { code: 'EMESSAGE', command: 'DATA', responseCode: 451, response: '451 4.3.0 queue full' },
        undefined,
        after,
      ).code,
    ).toBe('TRANSPORT_TEMPORARY');
    expect(
      classifySmtpError(
        { code: 'ECONNECTION', command: 'CONN', responseCode: 421, response: '421 4.7.0 too many messages, slow down' },
        undefined,
        after,
      ).code,
    ).toBe('TRANSPORT_THROTTLED');
    expect(
      classifySmtpError(
        { code: 'EMESSAGE', command: 'DATA', responseCode: 554, response: '554 5.7.1 spam' },
        undefined,
        after,
      ),
    ).toMatchObject({ code: 'TRANSPORT_PERMANENT', recipientRejected: false });
  });

  it('a refusal before any message (greeting, EHLO, AUTH) is temporary: it is about the session, not this reader', () => {
    for (const command of ['GREETING', 'EHLO', 'AUTH', 'AUTH PLAIN', 'STARTTLS']) {
      const error = classifySmtpError(
        { code: 'EAUTH', command, responseCode: 535, response: '535 5.7.8 bad credentials' },
        undefined,
        before,
      );
      expect(error).toMatchObject({ code: 'TRANSPORT_TEMPORARY', retryable: true, recipientRejected: false });
    }
    expect(
      classifySmtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 no such user' })
        .code,
    ).toBe('TRANSPORT_PERMANENT');
  });

  it('without a stage, assumes the message was not complete (the default of callers that cannot tell)', () => {
    expect(classifySmtpError(dropped).code).toBe('TRANSPORT_TEMPORARY');
  });
});
