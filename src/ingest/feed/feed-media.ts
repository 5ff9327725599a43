import { resolveHttpUrl } from '../../core/http-url.ts';
import { firstImageSource, isImageType, looksLikeImageUrl } from './feed-fields.ts';
import { children, type XmlElement } from './xml-tree.ts';

/**
 * The picture of an item, from the places feeds put one, best first: an image
 * enclosure (RSS enclosure or Atom link rel=enclosure), Media RSS content or thumbnail
 * (also inside media:group), iTunes image, then the first <img> of the content HTML.
 */
export function findItemImage(item: XmlElement, contentHtml: string, bases: readonly (string | null)[]): string | null {
  const candidates: (string | undefined)[] = [];
  for (const enclosure of children(item, 'enclosure')) {
    const url = enclosure.attrs.url;
    if (url && (isImageType(enclosure.attrs.type) || (!enclosure.attrs.type && looksLikeImageUrl(url))))
      candidates.push(url);
  }
  for (const link of children(item, 'atom:link')) {
    if (link.attrs.rel === 'enclosure' && isImageType(link.attrs.type)) candidates.push(link.attrs.href);
  }
  collectMedia(item, candidates);
  for (const group of children(item, 'media:group')) collectMedia(group, candidates);
  for (const image of children(item, 'itunes:image')) candidates.push(image.attrs.href);
  for (const candidate of candidates) {
    const url = resolveHttpUrl(candidate, bases);
    if (url) return url;
  }
  return resolveHttpUrl(firstImageSource(contentHtml), bases);
}

function collectMedia(parent: XmlElement, candidates: (string | undefined)[]): void {
  for (const content of children(parent, 'media:content')) {
    const url = content.attrs.url;
    if (!url) continue;
    const medium = content.attrs.medium;
    if (
      medium === 'image' ||
      isImageType(content.attrs.type) ||
      (!medium && !content.attrs.type && looksLikeImageUrl(url))
    ) {
      candidates.push(url);
    } else {
      // A video's poster frame is still a picture of the item.
      for (const thumbnail of children(content, 'media:thumbnail')) candidates.push(thumbnail.attrs.url);
    }
  }
  for (const thumbnail of children(parent, 'media:thumbnail')) candidates.push(thumbnail.attrs.url);
}
