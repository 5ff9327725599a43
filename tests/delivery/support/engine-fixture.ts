import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createSilentLogger } from '../../../src/core/logger.ts';
import { createSegmentMessageBuilder } from '../../../src/delivery/segment-message-builder.ts';
import type { MailTransport } from '../../../src/delivery/mail-transport.ts';
import type { DeliveryPlan, SendEditionDeps, SendEditionOptions } from '../../../src/delivery/send-types.ts';
import { createSubscriberLinks } from '../../../src/delivery/subscriber-token.ts';
import { openDatabase } from '../../../src/store/sqlite/open-database.ts';
import { SqliteLedger } from '../../../src/store/sqlite/sqlite-ledger.ts';
import type { Ledger } from '../../../src/delivery/ledger.ts';
import type { RenderedSegment } from '../../../src/render/render-types.ts';

export const SECRET = 'test-secret-0123456789abcdef';
export const EDITION = 'morning/2026-11-28T07:00:00+01:00';

export interface TestRecipient {
  id: number;
  email: string;
  name: string | null;
  segment: string;
}

export function makeRecipients(count: number, segments = 3): TestRecipient[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    email: `reader${i + 1}@example.test`,
    name: `Reader ${i + 1}`,
    segment: `seg-${i % segments}`,
  }));
}

export async function* streamOf<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export function renderStandIn(segmentKey: string): RenderedSegment {
  return {
    subject: `Morning digest · ${segmentKey}`,
    preheader: 'Top stories',
    html: `<html><body><p>Hello %%{name}%%, segment ${segmentKey} — café ✓</p><a href="%%{unsubscribe_url}%%">Unsubscribe</a></body></html>`,
    text: `Hello %%{name}%%, segment ${segmentKey} — café ✓\nUnsubscribe: %%{unsubscribe_url}%%\n`,
    droppedArticleIds: [],
  };
}

export function tempLedger(name = 'ledger.db') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-delivery-'));
  const file = path.join(dir, name);
  const db = openDatabase(file);
  return { dir, file, db, ledger: new SqliteLedger(db) };
}

export function buildDeps(
  ledger: Ledger,
  transport: MailTransport,
  recipients: TestRecipient[],
  overrides: Partial<SendEditionDeps<TestRecipient>> = {},
): SendEditionDeps<TestRecipient> & { renders: Map<string, number> } {
  const clock = createFixedClock('2026-11-28T06:00:00Z');
  const renders = new Map<string, number>();
  return {
    ledger,
    transport,
    recipients: streamOf(recipients),
    async plan(recipient): Promise<DeliveryPlan> {
      if (recipient.segment === 'empty') return { skip: 'empty digest' };
      return {
        segmentKey: recipient.segment,
        articleIds: [`a-${recipient.segment}-1`, `a-${recipient.segment}-2`],
        render: async () => {
          renders.set(recipient.segment, (renders.get(recipient.segment) ?? 0) + 1);
          return renderStandIn(recipient.segment);
        },
      };
    },
    composeMessage: createSegmentMessageBuilder({
      from: 'Morning Digest <news@digest.example.test>',
      replyTo: 'editor@digest.example.test',
      newsletterId: 'morning',
      newsletterTitle: 'Morning Digest',
      unsubscribeMailto: 'unsubscribe@digest.example.test',
      clock,
    }),
    links: createSubscriberLinks({
      baseUrl: 'https://news.example.test',
      secret: SECRET,
      newsletterId: 'morning',
      editionId: EDITION,
    }),
    clock,
    logger: createSilentLogger(),
    sleep: async () => {},
    random: () => 0.5,
    renders,
    ...overrides,
  };
}

export function baseOptions(overrides: Partial<SendEditionOptions> = {}): SendEditionOptions {
  return {
    editionId: EDITION,
    maxConnections: 3,
    delivery: { maxAttempts: 3, backoffInitial: 10, backoffMax: 100, maxConsecutiveFailures: 20 },
    ...overrides,
  };
}
