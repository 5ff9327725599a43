// No pg import here: the composition root names the store in messages without loading the driver.

/** `postgres://user:secret@host/db` → `postgres://user@host/db`: URLs in messages never carry a password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
