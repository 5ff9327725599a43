import { describeError, isTidingsError } from '../../core/errors.ts';

/** The error's reason without its `where: ` prefix, for messages that name the URL themselves. */
export function reasonOf(error: unknown): string {
  const message = describeError(error);
  const where = isTidingsError(error) ? error.where : undefined;
  return where && message.startsWith(`${where}: `) ? message.slice(where.length + 2) : message;
}
