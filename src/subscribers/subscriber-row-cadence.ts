/** The parts of a row and a catalog the cadence rules read (subscriber-row.ts has the whole types). */
interface CadenceRow {
  newsletters: readonly string[];
  cadences: readonly string[] | null;
}
interface CadenceCatalog {
  cadencesOf?: ReadonlyMap<string, readonly string[]>;
}
interface CadenceProblem {
  field: string | null;
  message: string;
}

/**
 * The `cadence` field of subscriber files (issue 26): entries are bare (`weekly`, for
 * every newsletter of the row that offers it) or per newsletter (`world:weekly`), like
 * categories; checked against the cadences each newsletter offers (catalog.cadencesOf).
 */

/** Each listed cadence must be offered by its newsletter (qualified) or by one of the row's newsletters (bare). */
export function checkCadences(row: CadenceRow, catalog: CadenceCatalog): CadenceProblem[] {
  const problems: CadenceProblem[] = [];
  const offered = (id: string) => catalog.cadencesOf?.get(id) ?? [];
  const describe = (id: string) =>
    offered(id).length > 0 ? `offered: ${offered(id).join(', ')}` : 'it offers no cadences';
  for (const entry of row.cadences ?? []) {
    const { newsletterId, slug } = splitCategory(entry);
    let message: string | null = null;
    if (newsletterId !== null && !row.newsletters.includes(newsletterId))
      message = `cadence: "${entry}" names "${newsletterId}", which is not among this row's newsletters`;
    else if (newsletterId !== null && !offered(newsletterId).includes(slug))
      message = `cadence: "${slug}" is not a cadence of "${newsletterId}" (${describe(newsletterId)})`;
    else if (newsletterId === null && !row.newsletters.some((id) => offered(id).includes(slug)))
      message = `cadence: "${slug}" is not a cadence of ${row.newsletters.map((id) => `"${id}" (${describe(id)})`).join(' or ')}`;
    if (message) problems.push({ field: 'cadence', message });
  }
  return problems;
}

/** The cadence a row chose for one newsletter: qualified (`world:weekly`) first, else a bare one it offers; null: none. */
export function cadenceForNewsletter(
  row: CadenceRow,
  newsletterId: string,
  catalog: CadenceCatalog | null,
): string | null {
  if (row.cadences === null) return null;
  const offered = catalog?.cadencesOf?.get(newsletterId) ?? [];
  let bare: string | null = null;
  for (const entry of row.cadences) {
    const { newsletterId: target, slug } = splitCategory(entry);
    if (target === newsletterId) return slug;
    if (target === null && bare === null && offered.includes(slug)) bare = slug;
  }
  return bare;
}

/** `weekly:science` names a category of one newsletter; a bare `science` applies wherever it exists. */
export function splitCategory(entry: string): { newsletterId: string | null; slug: string } {
  const colon = entry.indexOf(':');
  return colon < 0
    ? { newsletterId: null, slug: entry }
    : { newsletterId: entry.slice(0, colon), slug: entry.slice(colon + 1) };
}
