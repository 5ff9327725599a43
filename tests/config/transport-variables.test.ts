import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { createMailTransport } from '../../src/delivery/smtp-transport.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { configProblems } from '../helpers/config-problems.ts';

const smtp = { transport: { type: 'smtp', url: '${SMTP_URL}', returnPath: '${RETURN_PATH}' } };

describe('transport variables for commands that send no mail', () => {
  it('a command that sends refuses an unset transport variable before any work (the default)', () => {
    expect(configProblems(() => parseConfig(smtp, {}, 'tidings.yaml'))).toEqual([
      'transport.url: environment variable SMTP_URL is not set',
      'transport.returnPath: environment variable RETURN_PATH is not set',
    ]);
  });

  it('a command that sends nothing loads; the transport is unavailable and says why when opened', () => {
    const config = parseConfig(smtp, {}, 'tidings.yaml', { sendsMail: false });
    expect(config.transport).toEqual({
      type: 'unavailable',
      file: 'tidings.yaml',
      problems: [
        'transport.url: environment variable SMTP_URL is not set',
        'transport.returnPath: environment variable RETURN_PATH is not set',
      ],
    });
    expect(config.transport.returnPath).toBeUndefined();
    const open = () =>
      createMailTransport(config.transport, '/tmp', { clock: createFixedClock('2026-12-02T08:00:00Z') });
    expect(configProblems(open)).toEqual([
      'transport.url: environment variable SMTP_URL is not set',
      'transport.returnPath: environment variable RETURN_PATH is not set',
    ]);
  });

  it('only the transport is spared: an unset variable elsewhere is still an error', () => {
    const raw = { ...smtp, store: { url: '${DATABASE_URL}' } };
    expect(configProblems(() => parseConfig(raw, {}, 'tidings.yaml', { sendsMail: false }))).toEqual([
      'store.url: environment variable DATABASE_URL is not set',
    ]);
  });

  it('with its variables set, the transport is the configured one either way', () => {
    const env = { SMTP_URL: 'smtp://127.0.0.1:2525', RETURN_PATH: 'bounces@news.example.org' };
    const config = parseConfig(smtp, env, 'tidings.yaml', { sendsMail: false });
    expect(config.transport).toMatchObject({
      type: 'smtp',
      url: 'smtp://127.0.0.1:2525',
      returnPath: 'bounces@news.example.org',
    });
  });
});
