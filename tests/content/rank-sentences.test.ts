import { describe, expect, it } from 'vitest';
import { articleSentences } from '../../src/content/article-sentences.ts';
import { DEFAULT_RANKING, logisticScore, rankSentences, sentenceFeatures } from '../../src/content/rank-sentences.ts';

const text = [
  'The county council has approved a new bus route between the station and the hospital.',
  'The route will run every ten minutes from May, the council said.',
  'Local cafes welcomed the news on Tuesday afternoon.',
  'He added that the weather had been kind this spring.',
  'The new bus route to the hospital was the most requested change in a council survey of bus users.',
  '"We have waited years for this," one nurse said.',
].join('\n\n');
const sentences = articleSentences(text);

describe('rankSentences', () => {
  const ranked = rankSentences(sentences, 'Council approves hospital bus route');

  it('keeps every sentence in article order with a score between 0 and 1', () => {
    expect(ranked.map((s) => s.index)).toEqual(sentences.map((s) => s.index));
    for (const s of ranked) {
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThan(1);
    }
  });

  it('scores sentences about the article\u2019s main thread above side remarks', () => {
    const byText = (start: string) => ranked.find((s) => s.text.startsWith(start))!.score;
    expect(byText('The new bus route to the hospital')).toBeGreaterThan(byText('Local cafes'));
    expect(byText('The county council')).toBeGreaterThan(byText('He added'));
  });

  it('marks sentences that lean on the one before them', () => {
    expect(ranked.filter((s) => s.dangling).map((s) => s.text.slice(0, 8))).toEqual(['He added', '"We have']);
  });

  it('gives content words for redundancy checks', () => {
    expect(ranked[0]!.terms.has('hospital')).toBe(true);
    expect(ranked[0]!.terms.has('the')).toBe(false);
  });
});

describe('sentenceFeatures and logisticScore', () => {
  it('z-scores the frequency and TextRank features within the article', () => {
    const features = sentenceFeatures(sentences, 'Council approves hospital bus route');
    const mean = (k: 'frequency' | 'textRank') => features.reduce((s, f) => s + f[k], 0) / features.length;
    expect(mean('frequency')).toBeCloseTo(0, 10);
    expect(mean('textRank')).toBeCloseTo(0, 10);
    expect(features[1]!.second).toBe(1);
    expect(features[5]!.openingQuote).toBe(1);
    expect(features[0]!.title).toBeGreaterThan(features[2]!.title);
  });

  it('is the logistic function of the weighted sum', () => {
    const zero = { frequency: 0, textRank: 0, second: 0, position: 0, length: 0, openingQuote: 0, title: 0, bias: 1 };
    expect(logisticScore(zero, { ...DEFAULT_RANKING.weights, bias: 0 })).toBeCloseTo(0.5, 10);
    expect(logisticScore({ ...zero, textRank: 1 }, DEFAULT_RANKING.weights)).toBeGreaterThan(
      logisticScore(zero, DEFAULT_RANKING.weights),
    );
  });
});
