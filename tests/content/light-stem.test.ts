import { describe, expect, it } from 'vitest';
import { lightStem } from '../../src/content/light-stem.ts';

describe('lightStem', () => {
  it('folds plurals, possessives, -ing and -ed onto one stem', () => {
    for (const word of ['share', 'shares', 'shared', 'sharing']) expect(lightStem(word), word).toBe('share');
    for (const word of ['stop', 'stopped', 'stopping']) expect(lightStem(word), word).toBe('stop');
    expect(lightStem('companies')).toBe('company');
    expect(lightStem('taxes')).toBe('tax');
    expect(lightStem("club's")).toBe('club');
    expect(lightStem('played')).toBe(lightStem('playing'));
  });

  it('keeps double l, s and z, and words that only look inflected', () => {
    expect(lightStem('called')).toBe('call');
    expect(lightStem('passing')).toBe('pass');
    expect(lightStem('analysis')).toBe('analysis');
    expect(lightStem('famous')).toBe('famous');
    expect(lightStem('king')).toBe('king');
    expect(lightStem('bus')).toBe('bus');
    expect(lightStem('red')).toBe('red');
  });
});
