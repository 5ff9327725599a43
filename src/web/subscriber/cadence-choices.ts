import type { CadenceState } from '../../app/subscribers/reader-cadence.ts';
import { resolveIntlLocale, type Translator } from '../../render/locale-strings.ts';

/**
 * The cadence chooser of the signup and preferences pages, in the reader's words:
 * `web_cadence_<name>` names a cadence ("Weekly"), `web_cadence_edition_<name>` its
 * edition in a sentence ("the weekly"); a cadence without strings shows its name.
 */
export interface CadenceOption {
  value: string;
  label: string;
  selected: boolean;
}

function named(translator: Translator, key: string, fallback: string): string {
  const text = translator.translate(key);
  return text === key ? fallback : text;
}

export function cadenceLabel(translator: Translator, name: string): string {
  return named(translator, `web_cadence_${name}`, name);
}

export function cadenceOptions(translator: Translator, offered: readonly string[], chosen: string): CadenceOption[] {
  return offered.map((name) => ({ value: name, label: cadenceLabel(translator, name), selected: name === chosen }));
}

/** "Monday 14 December" in the reader's locale and zone. */
function editionDay(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(resolveIntlLocale(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone,
  }).format(new Date(iso));
}

/**
 * When a waiting change takes effect, as the page says it ("From the weekly of Monday
 * 14 December"), in the reader's zone (else the newsletter's); null when none waits.
 */
export function pendingCadenceText(
  translator: Translator,
  state: CadenceState,
  locale: string,
  readerZone: string | null,
): string | null {
  const pending = state.pending;
  if (!pending) return null;
  const cadence = cadenceLabel(translator, pending.name);
  const edition = named(translator, `web_cadence_edition_${pending.name}`, pending.name);
  if (!pending.firstEdition) return translator.translate('web_prefs_cadence_pending_unscheduled', { cadence, edition });
  const date = editionDay(pending.firstEdition.slot, locale, readerZone ?? pending.firstEdition.timezone);
  return translator.translate('web_prefs_cadence_pending', { cadence, edition, date });
}
