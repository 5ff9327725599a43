import type { PublicArchive } from '../../app/subscribers/subscriber-service.ts';

/**
 * An Atom 1.0 feed (RFC 4287) of a public archive: each entry's summary is its top
 * story and section leads, its content the edition's web page. Every text is XML-escaped and
 * stripped of characters XML 1.0 forbids; ids are the editions' permanent web URLs.
 */
const XML_FORBIDDEN = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(value: string): string {
  return value
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** RFC 3339 in UTC, or null for a missing or unreadable time. */
function atomTime(value: string | null): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What a feed reader shows of an edition: the body of its web page (feed readers drop a
 * document's head and styles; the email's styles are inline anyway), escaped once as
 * `type="html"` requires.
 */
function entryContent(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return body.trim();
}

export function buildAtomFeed(
  archive: PublicArchive,
  options: { baseUrl: string; lang: string; fallbackUpdated: string },
): string {
  const archiveUrl = `${options.baseUrl}/archive/${encodeURIComponent(archive.newsletter.id)}`;
  const feedUpdated =
    atomTime(archive.updatedAt) ??
    atomTime(
      archive.editions
        .map((e) => e.sentAt ?? e.slot)
        .sort()
        .at(-1) ?? null,
    ) ??
    atomTime(options.fallbackUpdated)!;
  const entries = archive.editions.map((edition) => {
    const url = `${options.baseUrl}${edition.path}`;
    const updated = atomTime(edition.sentAt) ?? atomTime(edition.slot) ?? feedUpdated;
    return [
      '  <entry>',
      `    <id>${escapeXml(url)}</id>`,
      `    <title type="text">${escapeXml(edition.subject || edition.id)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
      `    <published>${updated}</published>`,
      `    <updated>${updated}</updated>`,
      edition.highlights.length > 0
        ? `    <summary type="text">${escapeXml(edition.highlights.join(' · '))}</summary>`
        : null,
      `    <content type="html">${escapeXml(entryContent(edition.html))}</content>`,
      '  </entry>',
    ]
      .filter((line) => line !== null)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(options.lang)}">`,
    `  <id>${escapeXml(archiveUrl)}</id>`,
    `  <title type="text">${escapeXml(archive.newsletter.title)}</title>`,
    archive.newsletter.description
      ? `  <subtitle type="text">${escapeXml(archive.newsletter.description)}</subtitle>`
      : null,
    `  <updated>${feedUpdated}</updated>`,
    `  <author><name>${escapeXml(archive.newsletter.title)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(`${archiveUrl}/feed.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(archiveUrl)}"/>`,
    '  <generator>Tidings</generator>',
    ...entries,
    '</feed>',
    '',
  ]
    .filter((line) => line !== null)
    .join('\n');
}
