import type { CadenceState } from '../../app/subscribers/reader-cadence.ts';
import type { WebViews } from '../web-views.ts';

/**
 * The cadence chooser of the signup and preferences pages, in the reader's words:
 * `web_cadence_<name>` names a cadence ("Weekly"), `web_cadence_edition_<name>` its
 * edition in a sentence ("weekly", "Wochenausgabe"); a cadence without strings shows its name.
 */
type Translator = ReturnType<WebViews['translator']>;

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

/**
 * A change waiting, as the page words it: the template says "From the weekly of Monday
 * 14 December" with `slot` formatted in the page's locale and zone; `slot` null when the
 * new cadence has no schedule. Null when nothing waits.
 */
export function pendingCadence(
  translator: Translator,
  state: CadenceState,
): { cadence: string; edition: string; slot: string | null } | null {
  const pending = state.pending;
  if (!pending) return null;
  return {
    cadence: cadenceLabel(translator, pending.name),
    edition: named(translator, `web_cadence_edition_${pending.name}`, pending.name),
    slot: pending.firstEdition?.slot ?? null,
  };
}
