/**
 * One row of an export file, read in a platform's own columns and said in Tidings' words.
 * Statuses: `subscribed` (consent recorded by the platform), `paused`, `unconfirmed` (never
 * confirmed a double opt-in: not imported), and the four that become suppressions.
 */
export type ImportStatus =
  | 'subscribed'
  | 'paused'
  | 'unconfirmed'
  | 'unsubscribed'
  | 'cleaned'
  | 'bounced'
  | 'complained';

export const SUPPRESSING_STATUSES: ReadonlySet<ImportStatus> = new Set([
  'unsubscribed',
  'cleaned',
  'bounced',
  'complained',
]);

export interface ImportRecord {
  /** As written in the file; validated later. */
  email: string;
  name: string | null;
  firstName: string | null;
  status: ImportStatus;
  /** The platform's word for the status, for messages ("unactivated", "blocklisted"). */
  statusWord: string;
  /** Tags, labels or groups as the platform names them (mapped with --map-tags). */
  tags: string[];
  timezone: string | null;
}

/** A row the mapping could not read: the reason, shown as file:line: reason. */
export interface ImportRowProblem {
  problem: string;
}

/** How one platform's export reads: the columns it must have, and one row (header-keyed, lower-case). */
export interface PlatformFormat {
  /** The documented export this reads (docs/operations.md names it). */
  describe: string;
  /** Lower-case headers, each entry a set of alternatives; the file is refused when one is missing. */
  required: readonly (readonly string[])[];
  read(row: Readonly<Record<string, string>>): ImportRecord | ImportRowProblem;
}

/** "true"/"yes"/"1" → true, "false"/"no"/"0"/"" → false, anything else null. */
export function readBoolean(value: string | undefined): boolean | null {
  const text = (value ?? '').trim().toLowerCase();
  if (['true', 'yes', '1', 't', 'y'].includes(text)) return true;
  if (['false', 'no', '0', 'f', 'n', ''].includes(text)) return false;
  return null;
}

/** A cell that is empty or blank is "not given". */
export function cell(row: Readonly<Record<string, string>>, column: string): string | null {
  const value = row[column]?.trim();
  return value ? value : null;
}

/** `a, b` or `["a","b"]` or Mailchimp's `"a","b"`: the non-empty names. */
export function splitTags(value: string | null): string[] {
  if (!value) return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map((tag) => String(tag).trim()).filter(Boolean);
    } catch {
      // not JSON: read as a list below
    }
  }
  return text
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    )
    .filter(Boolean);
}
