import { TidingsError, UsageError } from '../core/errors.ts';
import { checkEmailAddress } from '../subscribers/email-address.ts';
import type { MailTransport, OutgoingMessage, SendReceipt } from '../delivery/mail-transport.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import type { AppContext } from './context.ts';
import { editionMessageComposer } from './edition-messages.ts';
import { personalTokens } from '../render/personalize.ts';
import { EditionPipeline, type EditionRef, findNewsletter, parseAt, requireSecret } from './edition-pipeline.ts';
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

/** The edition of a test copy: the one named (the desk), else the slot of `--at`, else the newest built. */
async function testCopyPipeline(
  ctx: AppContext,
  newsletterId: string,
  options: { at?: string; edition?: EditionRef },
): Promise<{ at: Date | null; pipeline: EditionPipeline }> {
  if (options.edition) {
    findNewsletter(ctx, newsletterId);
    const pipeline = await EditionPipeline.openRef(ctx, options.edition, { save: false });
    return { at: new Date(options.edition.slot), pipeline };
  }
  const at =
    options.at === undefined
      ? await newestEditionSlot(ctx, newsletterId)
      : parseAt(ctx, options.at, findNewsletter(ctx, newsletterId).timezone);
  return { at, pipeline: await EditionPipeline.open(ctx, newsletterId, at ?? ctx.clock.now(), { save: false }) };
}

/**
 * `tidings send --test EMAIL`: the edition as a chosen (or sample) subscriber sees it,
 * sent to one address with "[TEST]" in the subject. The ledger is not touched. Without
 * `--at`, the newest built edition (else a draft for now).
 */
export async function runTestSend(
  ctx: AppContext,
  newsletterId: string,
  options: { at?: string; edition?: EditionRef; to: string; subscriber?: string },
): Promise<number> {
  const secret = requireSecret(ctx);
  const check = checkEmailAddress(options.to);
  if (!check.ok) throw new UsageError(`--test: not a usable e-mail address: ${check.reason}`);
  const { at, pipeline } = await testCopyPipeline(ctx, newsletterId, options);
  const reader = await resolveReader(ctx, pipeline, options.subscriber);
  const plan = pipeline.plan(reader, reader.received);
  if ('skip' in plan) {
    const hint = at === null ? ' (no edition is built yet; pick a slot with --at)' : '';
    ctx.err(`${pipeline.edition.id}: nothing to send as ${reader.email}: ${plan.skip}${hint}`);
    return 1;
  }
  // Links for subscriber 0 (nobody): a test copy forwarded or clicked must not unsubscribe the reader it was rendered as.
  const urls = pipeline.links(secret)(0);
  const segment = await pipeline.render(plan);
  const transport = createMailTransport(ctx.config.transport, ctx.baseDir, {
    clock: ctx.clock,
    logger: ctx.logger,
    abortSignal: ctx.shutdown.expired,
  });
  try {
    const compose = editionMessageComposer(ctx, pipeline.newsletter, secret, transport, { test: true });
    const message = compose({
      editionId: pipeline.edition.id,
      recipient: { id: reader.id ?? 0, email: options.to, name: null },
      segment,
      tokens: personalTokens(reader, urls),
      urls,
    });
    const receipt = await sendTestCopy(transport, message);
    ctx.out(`test copy of ${pipeline.edition.id} (as ${reader.email}) to ${options.to}: ${receipt.response}`);
    return 0;
  } finally {
    await transport.close();
  }
}

async function sendTestCopy(transport: MailTransport, message: OutgoingMessage): Promise<SendReceipt> {
  try {
    return await transport.send(message);
  } catch (error) {
    throw error instanceof TidingsError
      ? error
      : new TidingsError('TRANSPORT_TEMPORARY', (error as Error).message, { cause: error });
  }
}
