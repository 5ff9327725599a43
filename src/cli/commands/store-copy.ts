import { existsSync } from 'node:fs';
import type { AppContext } from '../../app/context.ts';
import { UsageError } from '../../core/errors.ts';
import { copyStore, redactStoreUrl } from '../../app/copy-store.ts';

export interface StoreCopyOptions {
  to: string;
  from?: string;
  force?: boolean;
}

/** Opens both ends, copies, prints one line per table and the total; 0 when the copy committed. */
export async function runStoreCopy(ctx: AppContext, options: StoreCopyOptions): Promise<number> {
  if (!/^postgres(ql)?:\/\/\S+$/.test(options.to))
    throw new UsageError('--to: must be a postgres:// or postgresql:// URL');
  const file = ctx.resolvePath(options.from ?? ctx.config.store.path);
  // Opening would create an empty store: a mistyped path must not "copy" nothing.
  if (file === ':memory:' || !existsSync(file)) throw new UsageError(`no SQLite store at ${file} (pass --from FILE)`);
  const where = redactStoreUrl(options.to);
  const width = 20;
  const report = await copyStore({
    file,
    to: options.to,
    force: options.force,
    onStart: () => ctx.out(`Copying ${file} into ${where}`),
    onTable: (copy) =>
      ctx.out(`  ${copy.table.padEnd(width)} ${String(copy.rows).padStart(9)}${copy.note ? `  (${copy.note})` : ''}`),
  });
  const total = report.reduce((sum, table) => sum + table.rows, 0);
  ctx.out(`Copied ${total} rows in ${report.length} tables; every table's row count checked on the target.`);
  ctx.out(`Next: set store.url (e.g. url: \${DATABASE_URL}) in ${ctx.configFile} and keep ${file} as a backup.`);
  return 0;
}
