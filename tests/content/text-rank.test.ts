import { describe, expect, it } from 'vitest';
import { textRank } from '../../src/content/text-rank.ts';

describe('textRank', () => {
  it('scores sum to 1 and are equal for a symmetric graph', () => {
    const scores = textRank([
      ['ferry', 'harbour'],
      ['ferry', 'harbour'],
      ['ferry', 'harbour'],
    ]);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(scores[0]).toBeCloseTo(scores[1]!, 10);
    expect(scores[1]).toBeCloseTo(scores[2]!, 10);
  });

  it('ranks the sentence linked to every other above the ones on their own thread', () => {
    const scores = textRank([
      ['ferry', 'terminal', 'harbour', 'approved'],
      ['ferry', 'passengers'],
      ['terminal', 'traffic'],
      ['harbour', 'residents'],
      ['cafe', 'welcomed'],
    ]);
    const best = scores.indexOf(Math.max(...scores));
    expect(best).toBe(0);
    // The isolated sentence gets only the teleport share and what dangling rank spreads.
    expect(scores[4]).toBeLessThan(Math.min(scores[1]!, scores[2]!, scores[3]!));
  });

  it('handles empty input and sentences without words', () => {
    expect(textRank([])).toEqual([]);
    const scores = textRank([[], ['ferry'], ['ferry']]);
    expect(scores.every(Number.isFinite)).toBe(true);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
