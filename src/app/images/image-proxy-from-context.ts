import path from 'node:path';
import type { AppContext } from '../context.ts';
import { createFolderImageCache, createMemoryImageCache } from './image-cache.ts';
import { createImageProxy, type ImageProxy } from './image-proxy.ts';
import { createImageScaler } from './scale-image.ts';

/** The folder of scaled images, beside the store file (and the link secret). */
export const IMAGE_CACHE_DIR = 'image-cache';

/**
 * The composition root's image proxy: the fetch limits and private-network policy of
 * `fetch`, a cache folder in the data folder (in memory for a `:memory:` store), sharp
 * for scaling. The web server serves it at `/img/<token>` in every `images` mode.
 */
export function createImageProxyFromContext(ctx: AppContext): ImageProxy {
  const storePath = ctx.config.store.path;
  const cache =
    storePath === ':memory:'
      ? createMemoryImageCache()
      : createFolderImageCache(path.join(path.dirname(ctx.resolvePath(storePath)), IMAGE_CACHE_DIR));
  return createImageProxy({
    http: ctx.http,
    cache,
    scale: createImageScaler({ logger: ctx.logger }),
    logger: ctx.logger,
    clock: ctx.clock,
  });
}
