import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EditionPipeline, findNewsletter, parseAt } from '../../app/edition-pipeline.ts';
import type { AppContext } from '../../app/context.ts';
import { editionFileStem } from '../../editions/slot.ts';
import { resolveReader } from '../../app/resolve-reader.ts';

export async function runPreview(
  ctx: AppContext,
  newsletterId: string,
  options: { at?: string; subscriber?: string; out: string },
): Promise<number> {
  const pipeline = await EditionPipeline.open(
    ctx,
    newsletterId,
    parseAt(ctx, options.at, findNewsletter(ctx, newsletterId).timezone),
    { save: false },
  );
  const { edition } = pipeline;
  const reader = await resolveReader(ctx, pipeline, options.subscriber);
  const plan = pipeline.plan(reader, reader.received);
  if ('skip' in plan) {
    ctx.err(
      `${edition.id}: nothing to preview for ${reader.email}: ${plan.skip}${edition.statusReason ? ` (edition ${edition.status}: ${edition.statusReason})` : ''}`,
    );
    return 1;
  }
  const segment = await pipeline.render(plan);
  const secret = ctx.config.web.secret;
  const urls = secret
    ? pipeline.links(secret)(reader.id ?? 0)
    : {
        unsubscribeUrl: `${ctx.config.web.baseUrl}/u/preview`,
        preferencesUrl: `${ctx.config.web.baseUrl}/p/preview`,
        viewUrl: pipeline.webVersionUrl,
      };
  const message = pipeline.personalize(segment, reader, urls);
  const dir = path.resolve(options.out);
  mkdirSync(dir, { recursive: true });
  const stem = path.join(dir, editionFileStem(pipeline.newsletter.id, edition.id.split('/')[1]!));
  writeFileSync(`${stem}.html`, message.html);
  writeFileSync(`${stem}.txt`, message.text);
  const kb = (Buffer.byteLength(message.html) / 1024).toFixed(1);
  ctx.out(
    `${edition.id} (${edition.status}) as ${reader.email}: ${plan.articleIds.length} articles, subject "${message.subject}"`,
  );
  ctx.out(
    `${stem}.html  ${kb} KB${segment.droppedArticleIds.length ? `  (${segment.droppedArticleIds.length} articles cut to fit the size budget)` : ''}`,
  );
  ctx.out(`${stem}.txt`);
  return 0;
}
