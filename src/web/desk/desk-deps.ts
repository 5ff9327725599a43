import type { AppContext } from '../../app/context.ts';
import type { DeskAuth } from '../../editors/desk-auth.ts';
import type { DeskSends } from '../../app/desk/desk-sends.ts';
import type { DeskViews } from './desk-views.ts';

/** What the desk's route groups share, built once by `createDeskRoutes`. */
export interface DeskDeps {
  ctx: AppContext;
  auth: DeskAuth;
  sends: DeskSends;
  views: DeskViews;
  /** Locales the templates speak (templates/locales/*.json), for the preview's locale choice. */
  locales: string[];
  secureCookies: boolean;
}
