import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sniffImageType, type ImageType } from './image-types.ts';

export interface CachedImage {
  bytes: Uint8Array;
  contentType: ImageType;
}

/** Scaled images by key (a hash of the URL and the width); a miss is null. */
export interface ImageCache {
  get(key: string): Promise<CachedImage | null>;
  put(key: string, image: CachedImage): Promise<void>;
}

const KEY = /^[0-9a-f]{64}$/;

/**
 * One file per image in a folder of the data folder (`image-cache/` beside the store).
 * Files are written under a private name and renamed into place, so a reader never sees
 * half an image and two writers of the same image leave one whole file. The type is
 * read back from the bytes' signature: no metadata file to keep in step. Deleting the
 * folder is safe at any time (images are fetched again).
 */
export function createFolderImageCache(dir: string): ImageCache {
  const fileOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`not an image cache key: ${key}`);
    return path.join(dir, `${key}.img`);
  };
  let made: Promise<unknown> | null = null;
  return {
    async get(key) {
      let bytes: Buffer;
      try {
        bytes = await readFile(fileOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const contentType = sniffImageType(bytes);
      return contentType ? { bytes: new Uint8Array(bytes), contentType } : null;
    },
    async put(key, image) {
      const file = fileOf(key);
      made ??= mkdir(dir, { recursive: true, mode: 0o700 });
      await made;
      const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, image.bytes, { mode: 0o600 });
        await rename(temporary, file);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
    },
  };
}

/** For an in-memory store (`store.path: ':memory:'`): the last `maxEntries` images, in this process only. */
export function createMemoryImageCache(maxEntries = 100): ImageCache {
  const entries = new Map<string, CachedImage>();
  return {
    async get(key) {
      const found = entries.get(key);
      if (!found) return null;
      // Most recently used last: the oldest is the first to go.
      entries.delete(key);
      entries.set(key, found);
      return found;
    },
    async put(key, image) {
      entries.delete(key);
      entries.set(key, image);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
