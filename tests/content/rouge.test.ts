import { describe, expect, it } from 'vitest';
import { rouge, rouge2Recall, longestCommonSubsequence } from '../../bench/eval/rouge.ts';
import { decodeText } from '../../bench/eval/read-labelled-corpus.ts';

describe('rouge', () => {
  it('scores identical text 1 and disjoint text 0', () => {
    expect(rouge('The cat sat.', 'the cat sat')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
    expect(rouge('dogs bark', 'the cat sat')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });

  it('computes F1 with clipped counts and splits glued sentences', () => {
    // candidate: the cat the cat (4); reference: the cat sat.The end (5)
    const scores = rouge('the cat the cat', 'the cat sat.The end');
    // unigram overlap: the(min 2,2)=2 + cat(min 2,1)=1 = 3 -> P 3/4, R 3/5
    expect(scores.rouge1).toBeCloseTo((2 * 0.75 * 0.6) / 1.35, 10);
    // bigrams: "the cat" x2 vs x1 -> 1; P 1/3, R 1/4
    expect(scores.rouge2).toBeCloseTo((2 * (1 / 3) * 0.25) / (1 / 3 + 0.25), 10);
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
  });

  it('decodes UTF-8 and falls back to Latin-1', () => {
    expect(decodeText(Buffer.from('£5 café', 'utf8'))).toBe('£5 café');
    expect(decodeText(Uint8Array.from([0xa3, 0x35]))).toBe('£5');
  });
});

describe('rouge2Recall', () => {
  it('is the share of reference bigrams found, with clipped counts', () => {
    // reference bigrams: "the cat", "cat sat", "sat the", "the end" (4); candidate has "the cat" twice -> 1
    expect(rouge2Recall('the cat the cat', 'the cat sat.The end')).toBeCloseTo(1 / 4, 10);
    expect(rouge2Recall('cat sat the end', 'the cat sat.The end')).toBeCloseTo(3 / 4, 10);
    expect(rouge2Recall('anything', 'one')).toBe(0);
  });
});
