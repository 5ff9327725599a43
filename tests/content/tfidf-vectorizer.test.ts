import { describe, expect, it } from 'vitest';
import { TfidfVectorizer } from '../../src/content/tfidf-vectorizer.ts';

const docs = [
  new Map([
    ['goal', 3],
    ['match', 1],
  ]),
  new Map([
    ['goal', 1],
    ['vote', 2],
  ]),
  new Map([
    ['vote', 1],
    ['budget', 1],
  ]),
];
const idf = (df: number) => Math.log((1 + docs.length) / (1 + df)) + 1;

describe('TfidfVectorizer', () => {
  it('keeps terms seen in at least minDf documents, in order of first appearance', () => {
    const v = TfidfVectorizer.fit(docs, { minDf: 2 });
    expect(v.size).toBe(2);
    expect(v.indexOf('goal')).toBe(0);
    expect(v.indexOf('vote')).toBe(1);
    expect(v.indexOf('match')).toBeUndefined();
    expect(TfidfVectorizer.fit(docs, { minDf: 1 }).size).toBe(4);
  });

  it('weighs (1 + ln count) * idf and normalizes to unit length', () => {
    const v = TfidfVectorizer.fit(docs, { minDf: 1 });
    const x = v.transform(
      new Map([
        ['goal', 3],
        ['budget', 1],
      ]),
    );
    const goal = (1 + Math.log(3)) * idf(2);
    const budget = idf(1);
    const norm = Math.hypot(goal, budget);
    expect([...x.indices]).toEqual([v.indexOf('goal'), v.indexOf('budget')]);
    expect(x.values[0]).toBeCloseTo(goal / norm, 12);
    expect(x.values[1]).toBeCloseTo(budget / norm, 12);
    expect(Math.hypot(...x.values)).toBeCloseTo(1, 12);
  });

  it('counts unknown terms in the length, so mostly unknown text gets a short vector', () => {
    const v = TfidfVectorizer.fit(docs, { minDf: 1 });
    const known = v.transform(new Map([['goal', 1]]));
    const mostlyUnknown = v.transform(
      new Map([
        ['goal', 1],
        ['sourdough', 1],
        ['starter', 1],
        ['crust', 1],
      ]),
    );
    expect(known.values[0]).toBeCloseTo(1, 12);
    expect(mostlyUnknown.indices).toHaveLength(1);
    expect(mostlyUnknown.values[0]!).toBeLessThan(0.5);
    expect(v.transform(new Map([['sourdough', 2]])).indices).toHaveLength(0);
  });

  it('sorts indices ascending whatever the order of the counts', () => {
    const v = TfidfVectorizer.fit(docs, { minDf: 1 });
    const x = v.transform(
      new Map([
        ['budget', 1],
        ['vote', 1],
        ['goal', 1],
      ]),
    );
    expect([...x.indices]).toEqual([...x.indices].sort((a, b) => a - b));
  });
});
