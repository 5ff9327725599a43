import { TidingsError, UsageError } from '../core/errors.ts';
import { createMessageBuilder } from '../delivery/message-builder.ts';
import { checkEmailAddress } from '../subscribers/email-address.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import type { AppContext } from './context.ts';
import { archiveUrlFor } from './subscribers/public-urls.ts';
import { EditionPipeline, findNewsletter, parseAt, requireSecret } from './edition-pipeline.ts';
import { resolveReader } from './resolve-reader.ts';

/**
 * The slot of the newsletter's newest edition that can go out (skipped ones never do),
 * or null when none is built. Without `--at`, a test copy shows this one: "now" is
 * usually an empty slot nobody wants a copy of.
 */
async function newestEditionSlot(ctx: AppContext, newsletterId: string): Promise<Date | null> {
  findNewsletter(ctx, newsletterId);
  const editions = (await ctx.store.editions.listEditions(newsletterId)).filter(
    (edition) => edition.status !== 'skipped',
  );
  const slots = editions.map((edition) => Date.parse(edition.slot));
  return slots.length ? new Date(Math.max(...slots)) : null;
}

/**
 * `tidings send --test EMAIL`: the edition as a chosen (or sample) subscriber sees it,
 * sent to one address with "[TEST]" in the subject. The ledger is not touched. Without
 * `--at`, the newest built edition (else a draft for now).
 */
export async function runTestSend(
  ctx: AppContext,
  newsletterId: string,
  options: { at?: string; to: string; subscriber?: string },
): Promise<number> {
  const secret = requireSecret(ctx);
  const check = checkEmailAddress(options.to);
  if (!check.ok) throw new UsageError(`--test: not a usable e-mail address: ${check.reason}`);
  const at =
    options.at === undefined
      ? await newestEditionSlot(ctx, newsletterId)
      : parseAt(ctx, options.at, findNewsletter(ctx, newsletterId).timezone);
  const pipeline = await EditionPipeline.open(ctx, newsletterId, at ?? ctx.clock.now(), { save: false });
  const reader = await resolveReader(ctx, pipeline, options.subscriber);
  const plan = pipeline.plan(reader, reader.received);
  if ('skip' in plan) {
    const hint = at === null ? ' (no edition is built yet; pick a slot with --at)' : '';
    ctx.err(`${pipeline.edition.id}: nothing to send as ${reader.email}: ${plan.skip}${hint}`);
    return 1;
  }
  // Links for subscriber 0 (nobody): a test copy forwarded or clicked must not unsubscribe the reader it was rendered as.
  const urls = pipeline.links(secret)(0);
  const content = pipeline.personalize(await pipeline.render(plan), reader, urls);
  const build = createMessageBuilder({
    from: pipeline.newsletter.from,
    replyTo: pipeline.newsletter.replyTo,
    newsletterId: pipeline.newsletter.id,
    newsletterTitle: pipeline.newsletter.title,
    unsubscribeMailto: ctx.config.web.unsubscribeMailto,
    archiveUrl: archiveUrlFor(ctx.config, pipeline.newsletter),
    clock: ctx.clock,
    // A test copy's VERP names `<edition>-test`, which has no delivery: its bounces are reported, never counted.
    returnPath: ctx.config.transport.returnPath ? { address: ctx.config.transport.returnPath, secret } : undefined,
  });
  const message = build({
    editionId: `${pipeline.edition.id}-test`,
    recipient: { id: reader.id ?? 0, email: options.to, name: null },
    content: { ...content, subject: `[TEST] ${content.subject}` },
    urls,
  });
  const transport = createMailTransport(ctx.config.transport, ctx.baseDir, {
    clock: ctx.clock,
    logger: ctx.logger,
    abortSignal: ctx.shutdown.expired,
  });
  try {
    const receipt = await transport.send(message);
    ctx.out(`test copy of ${pipeline.edition.id} (as ${reader.email}) to ${options.to}: ${receipt.response}`);
    return 0;
  } catch (error) {
    throw error instanceof TidingsError
      ? error
      : new TidingsError('TRANSPORT_TEMPORARY', (error as Error).message, { cause: error });
  } finally {
    await transport.close();
  }
}
