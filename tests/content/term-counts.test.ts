import { describe, expect, it } from 'vitest';
import { contentRuns, termCounts } from '../../src/content/term-counts.ts';

describe('termCounts', () => {
  it('counts stemmed content words, the title twice, without stop words or bare numbers', () => {
    const counts = termCounts({
      title: 'Ferries delayed',
      text: 'The ferry was delayed in 2024 because of storms. Storm warnings stay.',
    });
    expect(Object.fromEntries(counts)).toEqual({ ferry: 3, delay: 3, storm: 2, warn: 1, stay: 1 });
  });

  it('counts pairs of neighbouring content words within a sentence when asked', () => {
    const counts = termCounts({ title: '', text: 'Interest rates rose. Rates fell.' }, { bigramWeight: 1 });
    expect(counts.get('interest rate')).toBe(1);
    expect(counts.get('rate rose')).toBe(1);
    expect(counts.has('rose rate')).toBe(false); // a sentence end separates them
    expect(counts.get('rate')).toBe(2);
    expect(termCounts({ title: '', text: 'Interest rates rose.' }).has('interest rate')).toBe(false);
  });

  it('weighs the title and can leave stemming out', () => {
    expect(termCounts({ title: 'Goals', text: 'goals' }, { titleWeight: 3 }).get('goal')).toBe(4);
    expect(termCounts({ title: '', text: 'goals' }, { stem: false }).get('goals')).toBe(1);
  });

  it('splits runs at sentence and paragraph ends', () => {
    expect(contentRuns('Markets fell sharply.\n\nOil rose; gold held')).toEqual([
      ['market', 'fell', 'sharply'],
      ['oil', 'rose'],
      ['gold', 'held'],
    ]);
  });
});
