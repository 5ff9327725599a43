import type { DeskAuth } from '../../editors/desk-auth.ts';
import type { DeskOperations } from '../../app/desk/desk-operations.ts';
import type { DeskSends } from '../../app/desk/desk-sends.ts';
import type { TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeskViews } from './desk-views.ts';

/** What the composition root hands the desk: the app's desk operations and where its templates are. */
export interface DeskWiring {
  operations: DeskOperations;
  config: TidingsConfig;
  clock: Clock;
  logger: Logger;
  /** The project's own templates/ folder. */
  templatesDir: string;
  /** `templates.dir` of the configuration, resolved; its files override the project's. */
  overrideDir?: string;
  /** Locales the templates speak (src/app/template-locales.ts), for the preview's locale choice. */
  locales: string[];
}

/** What the desk's route groups share, built once by `createDeskRoutes`. */
export interface DeskDeps {
  ops: DeskOperations;
  config: TidingsConfig;
  clock: Clock;
  logger: Logger;
  auth: DeskAuth;
  sends: DeskSends;
  views: DeskViews;
  /** Locales the templates speak (templates/locales/*.json), for the preview's locale choice. */
  locales: string[];
  secureCookies: boolean;
}
