import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING, type RankedSentence } from '../../src/content/rank-sentences.ts';
import { selectSentences } from '../../src/content/select-sentences.ts';
import { countWords } from '../../src/content/text-tokens.ts';

// Hand-made ranked sentences: each gets its own terms unless told, so nothing overlaps.
function sentence(index: number, text: string, score: number, dangling = false, terms?: string[]): RankedSentence {
  return {
    index,
    paragraph: index,
    text,
    words: countWords(text),
    score,
    dangling,
    terms: new Set(terms ?? [`t${index}`]),
  };
}
const limits = { maxWords: 60, minSentences: 2, maxSentences: 3 };

describe('selectSentences with a news lead', () => {
  const ranked = [
    sentence(0, 'The county council has approved a new bus route to the hospital.', 0.3),
    sentence(1, 'Buses will run every ten minutes from the station from May.', 0.9),
    sentence(2, 'Local cafes welcomed the news.', 0.2),
    sentence(3, 'The route was the most requested change in a survey of bus users.', 0.8),
    sentence(4, 'A second route to the university is planned for next year.', 0.7),
  ];

  it('opens with the lead even when it scores low, then the best of the rest, in article order', () => {
    const chosen = selectSentences(ranked, limits, DEFAULT_RANKING, 0);
    expect(chosen[0]!.index).toBe(0);
    expect(chosen.map((s) => s.index)).toEqual([0, 1, 3]);
    expect(chosen.reduce((n, s) => n + s.words, 0)).toBeLessThanOrEqual(60);
  });

  it('does not pad with a sentence scoring under wordCost', () => {
    const weak = ranked.map((s) => (s.index === 3 || s.index === 4 ? { ...s, score: 0.3 } : s));
    expect(selectSentences(weak, limits, DEFAULT_RANKING, 0).map((s) => s.index)).toEqual([0, 1]);
  });

  it('keeps minSentences even when the second sentence is weak', () => {
    const weak = ranked.map((s) => (s.index > 0 ? { ...s, score: 0.1 } : s));
    expect(selectSentences(weak, limits, DEFAULT_RANKING, 0)).toHaveLength(2);
  });

  it('uses the lead alone when nothing else fits', () => {
    expect(selectSentences(ranked, { ...limits, maxWords: 15 }, DEFAULT_RANKING, 0).map((s) => s.index)).toEqual([0]);
  });

  it('skips one of two sentences that repeat each other', () => {
    const repeated = [
      ranked[0]!,
      sentence(1, 'Buses will run every ten minutes from the station from May.', 0.9, false, [
        'buses',
        'ten',
        'minutes',
        'station',
        'may',
      ]),
      sentence(2, 'From May, buses will run from the station every ten minutes.', 0.85, false, [
        'buses',
        'ten',
        'minutes',
        'station',
        'may',
      ]),
      sentence(3, 'The route was the most requested change in a survey of bus users.', 0.6),
    ];
    expect(selectSentences(repeated, limits, DEFAULT_RANKING, 0).map((s) => s.index)).toEqual([0, 1, 3]);
  });
});

describe('selectSentences and sentences that lean on the one before', () => {
  it('brings in the sentence a chosen one leans on, or skips it', () => {
    const ranked = [
      sentence(0, 'The county council has approved a new bus route to the hospital.', 0.3),
      sentence(1, 'Ward nurse Amy Holt started the petition for it.', 0.6),
      sentence(2, 'She said the first bus will leave the station at six.', 0.95, true),
      sentence(3, 'The route was the most requested change in a survey.', 0.5),
    ];
    const chosen = selectSentences(ranked, limits, DEFAULT_RANKING, 0).map((s) => s.index);
    expect(chosen).toEqual([0, 1, 2]);

    // Without room for both, the leaning sentence is skipped rather than shown alone.
    const tight = selectSentences(ranked, { ...limits, maxWords: 30 }, DEFAULT_RANKING, 0).map((s) => s.index);
    expect(tight).not.toContain(2);
    expect(tight[0]).toBe(0);
  });

  it('without a lead, avoids opening with a bare quote', () => {
    const ranked = [
      sentence(0, '"We have waited years for this," one nurse said.', 0.9),
      sentence(1, 'The county council has approved a new bus route to the hospital.', 0.5),
      sentence(2, 'Buses will run every ten minutes from May.', 0.5),
    ];
    expect(selectSentences(ranked, { ...limits, maxSentences: 2 }).map((s) => s.index)).toEqual([1, 2]);
  });
});

describe('selectSentences and compressed forms', () => {
  // A hand-made compressor that knows one short form, in place of compress-sentence.ts.
  const whole = 'The county council, which met late on Monday, has approved a new bus route to the hospital.';
  const shorten = (text: string) =>
    text === whole ? 'The county council has approved a new bus route to the hospital.' : text;
  const ranked = [
    sentence(0, whole, 0.3),
    sentence(1, 'Buses will run every ten minutes from the station.', 0.9),
    sentence(2, 'The route was the most requested change in a survey.', 0.8),
  ];
  const words = (chosen: readonly RankedSentence[]) => chosen.reduce((n, s) => n + s.words, 0);

  it('uses the lead whole when everything fits', () => {
    const chosen = selectSentences(ranked, { ...limits, maxWords: 60 }, DEFAULT_RANKING, 0, shorten);
    expect(chosen.map((s) => s.text)).toEqual(ranked.map((s) => s.text));
  });

  it('uses the short form when that lets one more good sentence fit, and counts its words', () => {
    // Whole lead (17 words) + 9 + 10 = 36 > 32; short lead (12) + 9 + 10 = 31.
    const chosen = selectSentences(ranked, { ...limits, maxWords: 32 }, DEFAULT_RANKING, 0, shorten);
    expect(chosen.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(chosen[0]!.text).toBe('The county council has approved a new bus route to the hospital.');
    expect(words(chosen)).toBeLessThanOrEqual(32);
  });

  it('falls back to the short lead alone when even the whole lead does not fit', () => {
    const chosen = selectSentences(ranked, { ...limits, maxWords: 14 }, DEFAULT_RANKING, 0, shorten);
    expect(chosen.map((s) => s.text)).toEqual(['The county council has approved a new bus route to the hospital.']);
  });
});
