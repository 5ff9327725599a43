import { describe, expect, it } from 'vitest';
import { isSelfContained, leansOnPrevious } from '../../src/content/back-reference.ts';

describe('leansOnPrevious', () => {
  it.each([
    'He said the budget had been agreed.',
    'She has run the shelter since 2015.',
    'They will appeal against the ruling.',
    'This means fares will rise in May.',
    'These figures do not include the summer.',
    'That was the third delay this year.',
    'Those affected will be offered a refund.',
    'Its shares fell 4% in early trading.',
    'But they insisted the work would finish on time.',
    'However, this has not been confirmed.',
    'The company denied the claims.',
    'The firm\u2019s profits fell by a third.',
    'The minister will make a statement on Monday.',
    'The 25-year-old scored twice in the second half.',
    'On Tuesday, she told the inquiry she had not been warned.',
    'In a statement, the company said it would appeal.',
    'Despite this, passenger numbers rose.',
    '"We are ready for the winter," she said.',
    '"It is a turning point," said Anna Berg, the mayor of Lund.',
  ])('is true for %s', (sentence) => expect(leansOnPrevious(sentence)).toBe(true));

  it.each([
    'The county council approved the new bus route on Tuesday.',
    'The government will publish its plans in May.',
    'It is expected that rates will rise again in spring.',
    'It emerged on Friday that the contract had been cancelled.',
    'Heathrow said flights would resume at noon.',
    'Theresa Okafor, who chairs the board, said the vote was close.',
    'Mr Patel, who is 45, said he would stand down.',
    'Shares in the firm, which is based in Leeds, rose 3%.',
    '"We will not close the library," said Anna Berg, the mayor of Lund.',
  ])('is false for %s', (sentence) => expect(leansOnPrevious(sentence)).toBe(false));
});

describe('isSelfContained', () => {
  const leaning = new Set([2, 5]);
  const leans = (i: number) => leaning.has(i);

  it('accepts a set where each leaning sentence comes with the one before it', () => {
    expect(isSelfContained([0, 1, 2], leans)).toBe(true);
    expect(isSelfContained([0, 4, 5], leans)).toBe(true);
    expect(isSelfContained([0, 3], leans)).toBe(true);
  });

  it('rejects a leaning sentence without the one before it', () => {
    expect(isSelfContained([0, 2], leans)).toBe(false);
    expect(isSelfContained([1, 2, 5], leans)).toBe(false);
  });

  it('never asks for a sentence before the first', () => {
    expect(isSelfContained([0], () => true)).toBe(true);
  });
});
