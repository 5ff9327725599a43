import path from 'node:path';
import type { TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { UsageError } from '../../core/errors.ts';
import { exportSubscribers, type ExportFormat } from '../../app/subscribers/export-subscribers.ts';
import { importSubscribers, type ImportSubscribersOptions } from '../../app/subscribers/import-subscribers.ts';
import type { WelcomeMail } from '../../app/subscribers/welcome-mail.ts';
import { IMPORT_SOURCES, type ImportSource } from '../../subscribers/imports/platform-formats.ts';
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';

/** What import and export use of the application context (AppContext satisfies it). */
export interface SubscribersTransferContext {
  config: Pick<TidingsConfig, 'newsletters' | 'categories'>;
  store: { subscribers: SubscriberStore };
  clock: Clock;
  out: (line: string) => void;
  err?: (line: string) => void;
}

export interface ImportCommandOptions {
  from?: string;
  dryRun?: boolean;
  newsletter?: string;
  mapTags?: string[];
  welcome?: boolean;
}

/**
 * `tidings subscribers import FILE --from …`: prints each refused row as file:line: reason
 * as it goes, then the counts. Exit 1 when a row was refused (the others are in).
 */
export async function runSubscribersImport(
  ctx: SubscribersTransferContext,
  file: string,
  options: ImportCommandOptions,
  welcome?: Pick<WelcomeMail, 'queue' | 'sendQueued'>,
): Promise<number> {
  if (!options.from || !(IMPORT_SOURCES as readonly string[]).includes(options.from)) {
    throw new UsageError(`--from must be one of ${IMPORT_SOURCES.join(', ')}`);
  }
  const importOptions: ImportSubscribersOptions = {
    file: path.resolve(file),
    from: options.from as ImportSource,
    dryRun: Boolean(options.dryRun),
    newsletter: options.newsletter,
    mapTags: options.mapTags ?? [],
    welcome: Boolean(options.welcome),
  };
  const print = ctx.err ?? ctx.out;
  const queue = welcome
    ? (id: number, newsletterId: string) => welcome.queue(id, newsletterId).then(() => {})
    : undefined;
  const counts = await importSubscribers({ ...ctx, welcome: queue }, importOptions, (line, reason) =>
    print(`${file}:${line}: ${reason}`),
  );
  const verb = importOptions.dryRun ? 'would import (dry run, nothing written)' : 'imported';
  const parts = [
    `added ${counts.added}`,
    `subscribed ${counts.subscribed}`,
    `unchanged ${counts.unchanged}`,
    `suppressed ${counts.newlySuppressed}`,
    `already suppressed ${counts.suppressed}`,
    `refused ${counts.refused}`,
  ];
  ctx.out(`${verb}: ${parts.join(', ')}`);
  if (welcome) {
    const sent = await welcome.sendQueued();
    ctx.out(`welcome mails: accepted ${sent.accepted}, failed ${sent.failed}, skipped ${sent.skipped}`);
    if (sent.failed > 0) return 1;
  }
  return counts.refused > 0 ? 1 : 0;
}

/** `tidings subscribers export --all --format csv|jsonl`: the whole list on stdout, streamed. */
export async function runSubscribersExport(
  ctx: SubscribersTransferContext,
  options: { all?: boolean; format?: string },
): Promise<number> {
  if (!options.all) throw new UsageError('export --all: the whole list (one person: tidings subscribers export EMAIL)');
  for await (const line of exportSubscribers(ctx, (options.format ?? 'csv') as ExportFormat)) ctx.out(line);
  return 0;
}
