import type { RouteModule } from '../web-context.ts';
import { registerPreferencesRoutes } from './preferences-routes.ts';
import { registerSignupRoutes } from './signup-routes.ts';
import { registerUnsubscribeRoutes } from './unsubscribe-routes.ts';

/** The pages a reader reaches from an email or a signup form: /u/, /p/ and /s/. */
export const registerSubscriberRoutes: RouteModule = async (app, web) => {
  await registerUnsubscribeRoutes(app, web);
  await registerPreferencesRoutes(app, web);
  await registerSignupRoutes(app, web);
};
