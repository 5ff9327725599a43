/**
 * The image formats the proxy passes on: the four every mail client shows. SVG is not
 * among them on purpose (it can carry script and external references).
 */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export const IMAGE_TYPES: readonly ImageType[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** Names servers use for the same four types. */
const ALIASES: Record<string, ImageType> = {
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/x-png': 'image/png',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
};

/** The declared Content-Type as one of the four, or null (`text/html`, `image/svg+xml`, none at all). */
export function declaredImageType(contentType: string | null | undefined): ImageType | null {
  const essence = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return ALIASES[essence] ?? null;
}

/**
 * What the bytes are, from their signature: a server's Content-Type may be wrong, and
 * what is served (with `nosniff`) must be what the bytes really are.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const at = (offset: number, ...values: number[]) => values.every((value, i) => bytes[offset + i] === value);
  if (bytes.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (bytes.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (bytes.length >= 6 && (at(0, 0x47, 0x49, 0x46, 0x38, 0x37, 0x61) || at(0, 0x47, 0x49, 0x46, 0x38, 0x39, 0x61)))
    return 'image/gif';
  if (bytes.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}
