/**
 * Control characters that would act on a terminal rather than show: C0 (NUL, ESC, CR,
 * backspace…) except tab and newline, DEL, C1, and the bidirectional overrides and
 * isolates that reorder what is displayed.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes stored text (titles, names, replies from servers) safe to print: each unsafe
 * character becomes its visible `\uXXXX` escape. The escape is also a valid JSON escape
 * of the same character, so a `--json` line stays valid and parses back to the same data.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
