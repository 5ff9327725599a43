import type { Logger } from '../../core/logger.ts';
import type { ImageType } from './image-types.ts';

/**
 * Scaling proxied images down to what the email shows. The digest template draws an
 * article image at most 536 CSS pixels wide (templates/partials/top-story.mjml.hbs,
 * inside the 600px body); twice that stays sharp on high-density screens.
 */
export const PROXIED_IMAGE_WIDTH = 1072;

/**
 * A decompression bomb (a small file that decodes to gigapixels) is refused before it
 * takes the memory: 50 megapixels is a 8000×6000 photo, or an animation's frames together.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

export interface ScaledImage {
  bytes: Uint8Array;
  contentType: ImageType;
  /** False when the original bytes are passed on (sharp missing, or nothing to gain). */
  scaled: boolean;
}

export type ImageScaler = (bytes: Uint8Array, type: ImageType) => Promise<ScaledImage>;

type Sharp = typeof import('sharp')['default'];

export interface ScalerOptions {
  width?: number;
  logger: Logger;
  /** Loads sharp; tests pass one that fails to check the fallback. */
  loadSharp?: () => Promise<Sharp>;
}

/**
 * Scales to `width` at most (never up), keeps the format (animated GIF and WebP keep
 * their frames), turns a JPEG upright by its EXIF orientation and drops the metadata.
 * sharp is loaded on first use (only the web server needs it). Without it, or when the
 * result would be larger than an image that needed no scaling, the original is served.
 * An image sharp cannot decode throws: it is not an image the proxy passes on.
 */
export function createImageScaler(options: ScalerOptions): ImageScaler {
  const width = options.width ?? PROXIED_IMAGE_WIDTH;
  const load = options.loadSharp ?? (async () => (await import('sharp')).default);
  let sharp: Promise<Sharp | null> | null = null;
  const sharpOnce = () =>
    (sharp ??= load().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'sharp could not be loaded: proxied images are served as they are, unscaled');
      return null;
    }));

  return async (bytes, type) => {
    const library = await sharpOnce();
    if (!library) return { bytes, contentType: type, scaled: false };
    const animated = type === 'image/gif' || type === 'image/webp';
    let pipeline = library(bytes, { animated, limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    if (type === 'image/jpeg') pipeline = pipeline.rotate();
    const metadata = await pipeline.metadata();
    pipeline = pipeline.resize({ width, withoutEnlargement: true });
    if (type === 'image/jpeg') pipeline = pipeline.jpeg({ quality: 82, mozjpeg: true });
    else if (type === 'image/png') pipeline = pipeline.png({ compressionLevel: 9 });
    else if (type === 'image/gif') pipeline = pipeline.gif();
    else pipeline = pipeline.webp({ quality: 80 });
    const output = new Uint8Array(await pipeline.toBuffer());
    const narrowEnough = (metadata.width ?? Number.POSITIVE_INFINITY) <= width;
    if (narrowEnough && output.length >= bytes.length) return { bytes, contentType: type, scaled: false };
    return { bytes: output, contentType: type, scaled: true };
  };
}
