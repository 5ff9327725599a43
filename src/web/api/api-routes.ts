import type { ApiOperations } from '../../app/api/api-operations.ts';
import type { RouteModule } from '../web-context.ts';
import { contentRoutes } from './api-content-routes.ts';
import { signalRoutes } from './api-signal-routes.ts';
import { editionRoutes } from './api-edition-routes.ts';
import { createApiRoutes } from './api-plugin.ts';
import { subscriberRoutes } from './api-subscriber-routes.ts';

/** The JSON API's route module: every resource group on the plugin (auth, scopes, idempotency, OpenAPI). */
export function createJsonApiRoutes(ops: ApiOperations): RouteModule {
  return createApiRoutes(ops, [subscriberRoutes, editionRoutes, contentRoutes, signalRoutes]);
}
