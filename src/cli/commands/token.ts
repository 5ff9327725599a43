import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';

const accessOf = (ctx: AppContext) => appOperations(ctx).apiAccess;

/** Prints the token alone on stdout (so `$(tidings token create …)` captures it), the rest on stderr. */
export async function runTokenCreate(ctx: AppContext, name: string, scopes: string[]): Promise<number> {
  const { token, summary } = await accessOf(ctx).create(name, scopes);
  ctx.out(token);
  ctx.err(`token "${summary.name}" created with ${summary.scopes.join(', ')}: it is shown only this once, keep it now`);
  return 0;
}

export async function runTokenList(ctx: AppContext, options: { json?: boolean }): Promise<number> {
  const tokens = await accessOf(ctx).list();
  if (options.json) {
    ctx.out(JSON.stringify(tokens, null, 2));
    return 0;
  }
  for (const t of tokens)
    ctx.out(
      `${t.name.padEnd(20)} ${t.revokedAt ? `revoked ${t.revokedAt}` : 'live'}  created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}  ${t.scopes.join(' ')}`,
    );
  ctx.out(`${tokens.length} token${tokens.length === 1 ? '' : 's'}`);
  return 0;
}

export async function runTokenRevoke(ctx: AppContext, name: string): Promise<number> {
  const revoked = await accessOf(ctx).revoke(name);
  if (!revoked) {
    ctx.err(`no live token named "${name}" (see: ${ctx.commandLine('token list')})`);
    return 1;
  }
  ctx.out(`token "${name}" revoked`);
  return 0;
}
