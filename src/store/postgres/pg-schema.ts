import { CONTENT_SCHEMA } from './schema/content.ts';
import { AMBIGUOUS_RESOLUTIONS_SCHEMA } from './schema/ambiguous-resolutions.ts';
import { DELIVERY_SCHEMA } from './schema/delivery.ts';
import { LOGIN_THROTTLES_SCHEMA } from './schema/login-throttles.ts';
import { EDITION_AUDIENCE_SCHEMA } from './schema/edition-audience.ts';
import { HEALTH_AND_SIGNUP_MAIL_SCHEMA } from './schema/health-and-signup-mail.ts';
import { API_SCHEMA } from './schema/api.ts';
import { PAGE_LANGUAGE_SCHEMA } from './schema/page-language.ts';
import { WEBHOOKS_SCHEMA } from './schema/webhooks.ts';
import { SIGNUP_CADENCE_SCHEMA } from './schema/signup-cadence.ts';
import { SIGNAL_SCHEMA } from './schema/signal.ts';
import { READER_CADENCE_SCHEMA } from './schema/reader-cadence.ts';
import type { PgMigration } from './pg-migrations.ts';

/** Every PostgreSQL migration, in version order (one file per area under schema/). */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  CONTENT_SCHEMA,
  DELIVERY_SCHEMA,
  AMBIGUOUS_RESOLUTIONS_SCHEMA,
  LOGIN_THROTTLES_SCHEMA,
  EDITION_AUDIENCE_SCHEMA,
  HEALTH_AND_SIGNUP_MAIL_SCHEMA,
  API_SCHEMA,
  WEBHOOKS_SCHEMA,
  SIGNAL_SCHEMA,
  PAGE_LANGUAGE_SCHEMA,
  READER_CADENCE_SCHEMA,
  SIGNUP_CADENCE_SCHEMA,
];
