import { z } from 'zod';

/**
 * Every path parameter and form body is checked here before it reaches the app layer;
 * a value that fails gets the 400 page (the error handler maps ZodError).
 */
export const newsletterIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
/** Signed tokens are base64url with one dot; anything else is not ours. */
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{1,600}\.[A-Za-z0-9_-]{1,200}$/);
export const slotSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

export const tokenParams = z.strictObject({ token: z.string() });
export const newsletterParams = z.strictObject({ newsletter: newsletterIdSchema });
export const editionParams = z.strictObject({ newsletter: newsletterIdSchema, slot: slotSchema });
export const confirmParams = z.strictObject({ newsletter: newsletterIdSchema, token: z.string() });

/** A form field that may arrive once (a string) or several times (an array). */
export const manyValues = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(200)])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

export const oneValue = z.string().max(500).optional();
