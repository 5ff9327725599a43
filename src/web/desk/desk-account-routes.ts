import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EditorAccounts } from '../../editors/editor-accounts.ts';
import type { DeskDeps } from './desk-deps.ts';
import { deskSession, field, sendDeskHtml } from './desk-request.ts';

/**
 * `/desk/accounts`, admins only: every account and the client addresses blocked from
 * logging in to it after failed logins, each with a button that lifts the block (the
 * same as `tidings editor unlock`).
 */
export function registerDeskAccountRoutes(desk: FastifyInstance, deps: DeskDeps): void {
  const { ctx, views } = deps;

  const adminOnly = (request: FastifyRequest, reply: FastifyReply) => {
    const session = deskSession(request);
    if (session.editor.role === 'admin')
      return {
        session,
        accounts: new EditorAccounts(
          { editors: ctx.store.editors, audit: ctx.store.audit, clock: ctx.clock },
          session.editor.name,
        ),
      };
    sendDeskHtml(
      reply,
      views.render('message', {
        title: 'Admins only',
        editor: session.editor,
        csrf: session.csrfToken,
        message: 'Only an admin can see and lift lockouts.',
      }),
      403,
    );
    return null;
  };

  const sendAccounts = async (request: FastifyRequest, reply: FastifyReply, notice: string | null) => {
    const allowed = adminOnly(request, reply);
    if (!allowed) return reply;
    const lockouts = await allowed.accounts.lockouts();
    const accounts = (await allowed.accounts.list()).map((editor) => ({
      name: editor.name,
      email: editor.email,
      role: editor.role,
      lockouts: lockouts
        .filter((l) => l.editorId === editor.id)
        .map((l) => ({ address: l.address, failures: l.failures, blockedUntil: l.blockedUntil })),
    }));
    const { session } = allowed;
    return sendDeskHtml(
      reply,
      views.render('accounts', {
        title: 'Accounts',
        editor: session.editor,
        csrf: session.csrfToken,
        accounts,
        notice,
      }),
    );
  };

  desk.get('/desk/accounts', (request, reply) => sendAccounts(request, reply, null));

  desk.post('/desk/accounts/unlock', async (request, reply) => {
    const allowed = adminOnly(request, reply);
    if (!allowed) return reply;
    const name = field(request.body, 'name');
    const address = field(request.body, 'address') || undefined;
    const lifted = await allowed.accounts.liftLockouts(name, address);
    return sendAccounts(
      request,
      reply,
      lifted ? `Lifted the lockout of ${name}${address ? ` from ${address}` : ''}.` : `${name} had no lockout to lift.`,
    );
  });
}
