import type { CategoryConfig } from '../config/schema.ts';

/** Lower-case, strip accents and punctuation: "Sécurité " and "securite" compare equal. */
export function foldLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .trim();
}

export function slugify(label: string): string {
  return foldLabel(label)
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

export interface MappedCategories {
  /** Slugs of configured categories. */
  configured: string[];
  /** Slugs of labels that match no configured category, kept as they are. */
  unknown: string[];
}

/**
 * Maps source labels onto configured category slugs through titles and aliases
 * (case- and accent-insensitive). Built once per configuration.
 */
export class CategoryMapper {
  readonly #byFoldedLabel = new Map<string, string>();
  readonly #slugs: Set<string>;

  constructor(categories: Record<string, CategoryConfig>) {
    this.#slugs = new Set(Object.keys(categories));
    for (const [slug, category] of Object.entries(categories)) {
      for (const label of [slug, category.title, ...category.aliases]) {
        this.#byFoldedLabel.set(foldLabel(label), slug);
        this.#byFoldedLabel.set(slugify(label), slug);
      }
    }
  }

  isConfigured(slug: string): boolean {
    return this.#slugs.has(slug);
  }

  map(labels: readonly string[], defaults: readonly string[] = []): MappedCategories {
    const configured = new Set<string>(defaults.filter((slug) => this.#slugs.has(slug)));
    const unknown = new Set<string>();
    for (const raw of labels) {
      const hit = this.#lookup(raw);
      if (hit) configured.add(hit);
      else if (slugify(raw)) unknown.add(slugify(raw));
    }
    return { configured: [...configured], unknown: [...unknown] };
  }

  #lookup(label: string): string | undefined {
    const whole = this.#byFoldedLabel.get(foldLabel(label)) ?? this.#byFoldedLabel.get(slugify(label));
    if (whole) return whole;
    // Feeds often pack a path into one label ("News / Security"): the most specific part wins.
    const parts = label.split(/\s*[/,>|]\s*/).filter(Boolean);
    if (parts.length < 2) return undefined;
    for (const part of parts.reverse()) {
      const hit = this.#byFoldedLabel.get(foldLabel(part)) ?? this.#byFoldedLabel.get(slugify(part));
      if (hit) return hit;
    }
    return undefined;
  }
}
