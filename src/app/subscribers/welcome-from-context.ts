import { createMailTransport } from '../../delivery/smtp-transport.ts';
import type { AppContext } from '../context.ts';
import { requireSecret } from '../edition-pipeline.ts';
import { WelcomeMail } from './welcome-mail.ts';

/** The welcome mails of a command (`subscribers import --welcome`), wired from the context like the subscriber service. */
export function createWelcomeMailFromContext(ctx: AppContext): WelcomeMail {
  const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
  return new WelcomeMail({
    config: ctx.config,
    store: ctx.store,
    clock: ctx.clock,
    logger: ctx.logger,
    secret: requireSecret(ctx),
    openTransport: () =>
      createMailTransport(ctx.config.transport, ctx.baseDir, {
        clock: ctx.clock,
        logger: ctx.logger,
        abortSignal: ctx.shutdown.expired,
      }),
    templateDirs: [ctx.templatesDir, ...(overrideDir ? [overrideDir] : [])],
  });
}
