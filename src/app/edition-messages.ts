import type { NewsletterConfig } from '../config/schema.ts';
import type { MessageBuilderOptions } from '../delivery/message-builder.ts';
import { type BuildSegmentMessage, createSegmentMessageBuilder } from '../delivery/segment-message-builder.ts';
import type { AppContext } from './context.ts';
import { archiveUrlFor } from './subscribers/public-urls.ts';

/**
 * The one message-builder configuration of a newsletter: the digests of `tidings send` and
 * `tidings worker`, a test copy and the editors' approval notifications all take their
 * sender, list fields and return path from here.
 */
export function messageBuilderOptions(
  ctx: AppContext,
  newsletter: NewsletterConfig,
  secret: string,
): MessageBuilderOptions {
  return {
    from: newsletter.from,
    replyTo: newsletter.replyTo,
    newsletterId: newsletter.id,
    newsletterTitle: newsletter.title,
    unsubscribeMailto: ctx.config.web.unsubscribeMailto,
    archiveUrl: archiveUrlFor(ctx.config, newsletter),
    clock: ctx.clock,
    returnPath: ctx.config.transport.returnPath ? { address: ctx.config.transport.returnPath, secret } : undefined,
  };
}

/** The test flag of a send: a copy for one address, outside the ledger. */
export interface EditionMessageMode {
  test?: boolean;
}

/**
 * How each reader's message of an edition is composed: the segment's MIME bodies encoded
 * once, 8bit when the transport's server offers it. A test copy (`tidings send --test`,
 * the desk's test send) takes this same path with the test flag: "[TEST]" before the
 * subject, and a VERP id naming `<edition>-test`, which has no delivery, so its bounces are
 * reported and never counted.
 */
export function editionMessageComposer(
  ctx: AppContext,
  newsletter: NewsletterConfig,
  secret: string,
  transport: { readonly eightBitMime?: boolean } | null,
  mode: EditionMessageMode = {},
): BuildSegmentMessage {
  const compose = createSegmentMessageBuilder({
    ...messageBuilderOptions(ctx, newsletter, secret),
    allow8bit: () => transport?.eightBitMime ?? false,
    test: mode.test,
  });
  if (!mode.test) return compose;
  return (input) => compose({ ...input, editionId: `${input.editionId}-test` });
}
