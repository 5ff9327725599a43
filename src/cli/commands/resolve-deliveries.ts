import type { AppContext } from '../../app/context.ts';
import { resolveAmbiguousDeliveries } from '../../app/resolve-ambiguous.ts';
import { escapeControlCharacters } from '../terminal-text.ts';

export interface ResolveFlags {
  allAmbiguous?: boolean;
  accepted?: boolean;
  notAccepted?: boolean;
  by: string;
}

/** `tidings deliveries resolve <edition> <email…|--all-ambiguous> --accepted|--not-accepted [--by NAME]`. */
export async function runResolveCommand(
  ctx: AppContext,
  editionId: string,
  emails: string[],
  flags: ResolveFlags,
): Promise<number> {
  if (Boolean(flags.accepted) === Boolean(flags.notAccepted)) {
    ctx.err('error: say what the mail server did: --accepted or --not-accepted (exactly one)');
    return 2;
  }
  if (Boolean(flags.allAmbiguous) === emails.length > 0) {
    ctx.err('error: name the readers (their addresses) or give --all-ambiguous, not both');
    return 2;
  }
  const outcome = await resolveAmbiguousDeliveries(ctx, {
    editionId,
    emails: flags.allAmbiguous ? 'all-ambiguous' : emails,
    decision: flags.accepted ? 'accepted' : 'not-accepted',
    by: flags.by,
  });
  // Addresses come from the store: never let their control characters reach the terminal.
  const print = outcome.exitCode === 0 ? ctx.out : ctx.err;
  for (const line of outcome.lines) print(escapeControlCharacters(line));
  return outcome.exitCode;
}
