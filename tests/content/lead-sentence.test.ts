import { describe, expect, it } from 'vitest';
import { leansOnPrevious } from '../../src/content/back-reference.ts';
import {
  canStateNews,
  isBareQuote,
  isDateline,
  isQuestion,
  isTeaser,
  newsLeadIndex,
} from '../../src/content/lead-sentence.ts';

describe('isDateline', () => {
  it.each([
    'LONDON (Reuters) -',
    'WASHINGTON, March 3 (AP) \u2014',
    'PARIS, 3 March:',
    'Published 3 March 2024, 10:15 GMT.',
    'Last updated: Monday.',
    'Posted on March 3, 2024 at 9 am.',
    '2024-03-03',
  ])('recognises %s', (line) => expect(isDateline(line)).toBe(true));

  it.each([
    'The harbour board approved the plan on Monday.',
    'NHS waiting lists hit a record high.',
    'London, March 3 -',
    'LONDON (Reuters) - The central bank raised its main rate to 5%.',
  ])('does not take %s for one', (line) => expect(isDateline(line)).toBe(false));
});

describe('isQuestion', () => {
  it('is a sentence ending with a question mark, closing quotes aside', () => {
    expect(isQuestion('Is this the end of the corner shop?')).toBe(true);
    expect(isQuestion('"Who pays for the new bridge?"')).toBe(true);
    expect(isQuestion('Councillors asked who would pay for the bridge.')).toBe(false);
    expect(isQuestion('"Why now?" the mayor asked.')).toBe(false);
  });
});

describe('isBareQuote', () => {
  it('is a quotation with at most a short attribution', () => {
    expect(isBareQuote('"We are ready for the winter," she said.')).toBe(true);
    expect(isBareQuote('\u201cNobody saw this coming.\u201d')).toBe(true);
    expect(isBareQuote('"The queues were the worst I have seen," said a driver.')).toBe(true);
    expect(
      isBareQuote('"It was a long night," said Priya Nair, who has run the night shelter on Mill Lane since 2015.'),
    ).toBe(false);
    expect(isBareQuote('The mayor called the vote "a turning point" for the town.')).toBe(false);
  });
});

describe('isTeaser', () => {
  it.each([
    'Ever wondered why the night bus is always late?',
    "Here's what you need to know about the new parking rules.",
    'Imagine a town where nobody owns a car.',
    'You won\u2019t believe what the divers found under the pier.',
    'And then the lights went out...',
  ])('recognises %s', (line) => expect(isTeaser(line)).toBe(true));

  it('does not take a plain news sentence for one', () => {
    expect(isTeaser('The county council has approved a new bus route to the hospital.')).toBe(false);
    expect(isTeaser('Here the river is at its widest.')).toBe(false);
  });

  it('looks for a teasing opening only at the start: a title mid-sentence is news', () => {
    expect(isTeaser('The comedy Meet The Neighbours topped the box office for a third week.')).toBe(false);
    expect(isTeaser('Pupils were asked to imagine a town without cars.')).toBe(false);
    expect(isTeaser('"Meet the team that rebuilt the pier," the leaflet says.')).toBe(true);
    const sentences = ['The comedy Meet The Neighbours topped the box office for a third week.', 'It took \u00a34m.'];
    expect(newsLeadIndex(sentences, leansOnPrevious)).toBe(0);
  });
});

describe('newsLeadIndex', () => {
  it('is the first sentence when it states the news', () => {
    const sentences = ['The county council has approved a new bus route.', 'It will run every ten minutes.'];
    expect(newsLeadIndex(sentences, leansOnPrevious)).toBe(0);
    expect(canStateNews(sentences[0]!)).toBe(true);
  });

  it('skips datelines, questions, bare quotes and teasers', () => {
    const sentences = [
      'Is this the end of the corner shop?',
      '"We cannot go on like this," one owner said.',
      'Ever wondered who still buys newspapers?',
      'Small shops closed at a rate of 40 a week last year, a trade survey shows.',
    ];
    expect(newsLeadIndex(sentences, leansOnPrevious)).toBe(3);
  });

  it('skips a later sentence that leans on the one before it', () => {
    const sentences = [
      'Who will pay for the flood wall?',
      'It will cost the town \u00a34m.',
      'The town council voted to borrow \u00a34m for a flood wall.',
    ];
    expect(newsLeadIndex(sentences, leansOnPrevious)).toBe(2);
  });

  it('is -1 when no sentence can state the news', () => {
    expect(newsLeadIndex(['Why?', 'Really?'], leansOnPrevious)).toBe(-1);
  });
});
