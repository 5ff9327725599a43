import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { NewsletterConfig } from '../../config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import type { OutgoingMessage } from '../../delivery/mail-transport.ts';
import { normalizeAddress, singleLine } from '../../delivery/mime-headers.ts';
import { signSignupToken, verifySignupToken } from '../../delivery/subscriber-token.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import { normalizeEmailAddress } from '../../subscribers/email-address.ts';
import type { SignupRequest } from '../../subscribers/subscriber-lifecycle-store.ts';
import { buildConfirmationMessage, type ConfirmationKind } from './confirmation-message.ts';
import { offeredCadences } from '../../config/cadences.ts';
import { checkCadence } from './reader-cadence.ts';
import { SignupMailQueue } from './signup-mail-queue.ts';
import { WelcomeMail } from './welcome-mail.ts';
import { confirmUrlFor } from './public-urls.ts';
import { maskEmail, type ServiceCore } from './service-core.ts';
import type { ConfirmResult, SignupInput, SignupReceipt } from './subscriber-types.ts';

/** A confirmation link works this long. */
export const SIGNUP_LINK_LIFETIME_MS = 7 * 86_400_000;
export { SIGNUP_MAIL_TIMEOUT_MS } from './signup-mail-queue.ts';

/** A name given at signup goes into the To: of every digest: short plain text only. */
export const SIGNUP_NAME_MAX = 64;

/**
 * Why a name given at signup is refused, or null when it is fine. It ends up in the `To:`
 * of every digest and in greetings, so a stranger must not be able to plant a link there
 * ("Click evil.example/win"): no web or email address, no markup, no control or
 * direction-changing characters, at most SIGNUP_NAME_MAX characters.
 */
export function signupNameProblem(name: string): string | null {
  if ([...name].length > SIGNUP_NAME_MAX) return `a name has at most ${SIGNUP_NAME_MAX} characters`;
  // Bidirectional overrides and isolates would reverse the text around them in a mail client.
  if (/[\p{Cc}\u2028\u2029\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u.test(name))
    return 'a name cannot contain control or text-direction characters';
  if (/[<>]/.test(name)) return 'a name cannot contain < or >';
  // A scheme, "www.", an @, or a dot between letters (a host name such as evil.example).
  if (/[\p{L}\p{N}+.-]+:\/\/|www\.|@|[\p{L}\p{N}-]\.[\p{L}\p{N}]{2,}/iu.test(name))
    return 'a name cannot contain a web or email address';
  return null;
}

const signupSchema = z.strictObject({
  email: z.string().max(320),
  name: z
    .string()
    .max(SIGNUP_NAME_MAX * 4)
    .nullable()
    .optional(),
  categories: z.array(z.string().max(64)).max(100).nullable().optional(),
  locale: z.string().max(35).nullable().optional(),
  cadence: z.string().max(64).nullable().optional(),
});

function invalid(field: string, message: string): never {
  throw new TidingsError('INPUT_INVALID', message, { where: field });
}

/** The checked fields of a signup (INPUT_INVALID naming the field otherwise): the form's, the API's. */
export function validateSignup(core: ServiceCore, newsletter: NewsletterConfig, raw: SignupInput) {
  const { deps } = core;
  const parsed = signupSchema.safeParse(raw);
  if (!parsed.success) invalid(String(parsed.error.issues[0]!.path[0] ?? 'signup'), parsed.error.issues[0]!.message);
  const input = parsed.data;
  const check = normalizeEmailAddress(input.email);
  if (!check.ok) invalid('email', `not a valid address: ${check.reason}`);
  try {
    normalizeAddress(check.address, 'email');
  } catch {
    invalid('email', 'not an address we can send to');
  }
  const email = check.address;
  const name = input.name ? singleLine(input.name).trim() || null : null;
  const nameProblem = name === null ? null : signupNameProblem(name);
  if (nameProblem) invalid('name', nameProblem);
  const categories = input.categories && input.categories.length > 0 ? [...new Set(input.categories)] : null;
  const foreign = categories?.find((c) => !newsletter.categories.includes(c));
  if (foreign) invalid('categories', `"${foreign}" is not a category of ${newsletter.title}`);
  const locale = input.locale || null;
  if (locale !== null && !deps.locales.includes(locale)) invalid('locale', `must be one of ${deps.locales.join(', ')}`);
  // The default (first) cadence is stored as null, like a reader who never chose.
  const offered = offeredCadences(deps.config, newsletter.id);
  const cadence = input.cadence ? checkCadence(deps.config, newsletter.id, input.cadence, 'cadence') : null;
  return { email, name, categories, locale, cadence: cadence === offered?.[0] ? null : cadence };
}

/**
 * Mails go out after the answer, in order, from the store (signup-mail-queue.ts), so the
 * response time does not tell a new address from a subscribed or suppressed one, and a
 * stop leaves them queued for the next process. `drain()` waits for them (shutdown, tests).
 */
export class SignupDesk {
  private readonly mail: SignupMailQueue;
  /** Sent once a reader confirms, where the newsletter has a welcome template. */
  readonly welcome: WelcomeMail | null;

  constructor(private readonly core: ServiceCore) {
    this.mail = new SignupMailQueue(core, (request) => this.messageFor(request));
    const { templateDirs, ...deps } = core.deps;
    this.welcome = templateDirs ? new WelcomeMail({ ...deps, templateDirs }) : null;
  }

  /**
   * `operator`: an API caller adds the address (src/app/api/): the newsletter need not take
   * public signups, and the per-address limits (meant for strangers) do not apply.
   */
  async request(
    newsletterId: string,
    raw: SignupInput,
    request: { ip: string; operator?: boolean },
  ): Promise<SignupReceipt> {
    const { deps } = this.core;
    const newsletter = this.core.newsletter(newsletterId);
    if (!newsletter.signup && !request.operator)
      throw new TidingsError('NOT_FOUND', `${newsletter.id} does not take signups`);
    const { email, name, categories, locale, cadence } = validateSignup(this.core, newsletter, raw);

    const receipt: SignupReceipt = {
      newsletter: { id: newsletter.id, title: newsletter.title },
      maskedEmail: maskEmail(email),
    };
    const now = this.core.now();
    const store = deps.store.subscribers;
    await store.purgeSignupRequests(now);
    const ipHash = createHmac('sha256', deps.secret).update(`signup-ip:${request.ip}`).digest('hex').slice(0, 32);
    const hourAgo = new Date(now.getTime() - 3_600_000);
    const dayAgo = new Date(now.getTime() - 86_400_000);
    // Counted in the store, so a restart forgets nothing; beyond a limit, nothing is sent (same answer).
    const limits = deps.config.web.rateLimit;
    if (
      !request.operator &&
      ((await store.countSignupRequests({ ipHash, since: hourAgo })) >= limits.signupPerHour ||
        (await store.countSignupRequests({ email, since: dayAgo })) >= limits.signupPerAddressPerDay)
    ) {
      deps.logger.warn({ newsletter: newsletter.id }, 'signup rate limit reached: no mail sent');
      return receipt;
    }
    if (await store.isSuppressed(addressHash(email))) {
      deps.logger.info({ newsletter: newsletter.id }, 'signup for a suppressed address: no mail sent');
      return receipt;
    }
    const existing = await store.findByEmail(email);
    const subscribed =
      existing?.subscriptions.some((s) => s.newsletterId === newsletter.id && s.status === 'active') ?? false;
    const kind: ConfirmationKind = subscribed ? 'already' : 'confirm';
    const expiresAt = new Date(now.getTime() + SIGNUP_LINK_LIFETIME_MS);
    await store.createSignupRequest({
      newsletterId: newsletter.id,
      email,
      name,
      categories,
      locale,
      cadence,
      ipHash,
      kind,
      createdAt: now,
      expiresAt,
    });
    this.mail.wake();
    return receipt;
  }

  /** The confirmation (or "already subscribed") mail of a stored request. */
  private async messageFor(request: SignupRequest): Promise<OutgoingMessage> {
    const { deps } = this.core;
    const newsletter = this.core.newsletter(request.newsletterId);
    const expiresAt = new Date(request.expiresAt);
    const confirmUrl =
      request.kind === 'confirm'
        ? confirmUrlFor(
            deps.config,
            newsletter.id,
            signSignupToken({ signupId: request.id, newsletterId: newsletter.id, expiresAt }, deps.secret),
          )
        : undefined;
    const existing = request.locale ? null : await deps.store.subscribers.findByEmail(request.email);
    const locale = request.locale ?? existing?.locale ?? newsletter.locale;
    return buildConfirmationMessage({
      kind: request.kind,
      newsletter,
      to: { email: request.email, name: request.name },
      locale,
      confirmUrl,
      at: new Date(request.createdAt),
    });
  }

  /** Sends what an earlier process left queued (call once the process is ready). */
  sendQueued(): void {
    this.mail.wake();
    this.welcome?.wake();
  }

  /** The signup a confirmation link names, checked (signature, expiry, suppression) but not acted on. */
  private async resolveConfirmation(token: string) {
    const { deps } = this.core;
    const claims = verifySignupToken(String(token ?? ''), deps.secret);
    if (!claims)
      throw new TidingsError('TOKEN_INVALID', 'this confirmation link is not valid (changed, cut short or not ours)');
    if (claims.expiresAt.getTime() <= this.core.now().getTime())
      throw new TidingsError('TOKEN_EXPIRED', 'this confirmation link has expired: sign up again');
    const newsletter = this.core.newsletter(claims.newsletterId);
    const request = await deps.store.subscribers.getSignupRequest(claims.signupId);
    if (request?.kind !== 'confirm' || request.newsletterId !== newsletter.id) {
      throw new TidingsError('TOKEN_INVALID', 'this confirmation link can no longer be used: sign up again');
    }
    if (await deps.store.subscribers.isSuppressed(addressHash(request.email))) {
      throw new TidingsError('TOKEN_INVALID', 'this confirmation link can no longer be used');
    }
    const result = {
      newsletter: { id: newsletter.id, title: newsletter.title },
      maskedEmail: maskEmail(request.email),
      locale: request.locale ?? newsletter.locale,
    };
    return { newsletter, request, result };
  }

  /**
   * What a confirmation link would confirm, changing nothing: the page a GET shows, with
   * its one POST button (link scanners fetch links; only a person presses the button).
   * `changed: false` when the link was used already.
   */
  async describeConfirmation(token: string): Promise<ConfirmResult> {
    const { request, result } = await this.resolveConfirmation(token);
    return { ...result, changed: request.confirmedAt === null };
  }

  /** Starts the subscription a confirmation link names; a second use changes nothing. */
  async confirm(token: string): Promise<ConfirmResult> {
    const { deps } = this.core;
    const { newsletter, request, result } = await this.resolveConfirmation(token);
    const at = this.core.now();
    if (!(await deps.store.subscribers.markSignupConfirmed(request.id, at))) return { ...result, changed: false };
    const subscriberId = await deps.store.subscribers.ensureSubscriber(
      { email: request.email, name: request.name, locale: request.locale },
      at,
    );
    await deps.store.subscribers.subscribe(subscriberId, newsletter.id, at, request.categories);
    // The cadence chosen on the form, at once: a new subscription has no period to finish.
    if (request.cadence !== null && offeredCadences(deps.config, newsletter.id)?.includes(request.cadence))
      await this.core.startCadence(subscriberId, newsletter.id, request.cadence);
    deps.logger.info({ newsletter: newsletter.id, subscriber: subscriberId }, 'signup confirmed');
    if (await this.welcome?.queue(subscriberId, newsletter.id)) this.welcome!.wake([newsletter.id]);
    return { ...result, changed: true };
  }

  async drain(): Promise<void> {
    await this.mail.drain();
    await this.welcome?.drain();
  }
}
