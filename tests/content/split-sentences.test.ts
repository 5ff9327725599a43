import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/content/split-sentences.ts';

describe('splitSentences', () => {
  it('splits plain sentences and paragraphs', () => {
    expect(splitSentences('The river rose. Roads closed!\n\nWill it rain? Nobody knows.')).toEqual([
      'The river rose.',
      'Roads closed!',
      'Will it rain?',
      'Nobody knows.',
    ]);
  });

  it('does not split after titles and other abbreviations', () => {
    const text =
      'Mr. Adeyemi met Mrs. Okafor and Dr. Lund on St. Anne Street. Gen. Ortiz signed No. 7 of the orders, e.g. the curfew, i.e. the main one. Acme Ltd. Holdings and Brightwave Inc. Partners agreed.';
    expect(splitSentences(text)).toEqual([
      'Mr. Adeyemi met Mrs. Okafor and Dr. Lund on St. Anne Street.',
      'Gen. Ortiz signed No. 7 of the orders, e.g. the curfew, i.e. the main one.',
      'Acme Ltd. Holdings and Brightwave Inc. Partners agreed.',
    ]);
  });

  it('splits after a sentence-final abbreviation only before a sentence opener', () => {
    expect(splitSentences('Prices rose in the U.S. The U.K. Treasury said nothing on Jan. 5 about it.')).toEqual([
      'Prices rose in the U.S.',
      'The U.K. Treasury said nothing on Jan. 5 about it.',
    ]);
    expect(splitSentences('They sold pens, paper, etc. The shop closed.')).toEqual([
      'They sold pens, paper, etc.',
      'The shop closed.',
    ]);
  });

  it('keeps initials with the name', () => {
    expect(splitSentences('The novel by J. K. Rowling sold well. George W. Bush read it.')).toEqual([
      'The novel by J. K. Rowling sold well.',
      'George W. Bush read it.',
    ]);
  });

  it('handles quotes around the full stop and quoted speech', () => {
    expect(splitSentences('"We will rebuild," he said. "It will take years." Others disagreed.')).toEqual([
      '"We will rebuild," he said.',
      '"It will take years."',
      'Others disagreed.',
    ]);
    expect(splitSentences('\u201cStop!\u201d she shouted. The crowd left.')).toEqual([
      '\u201cStop!\u201d she shouted.',
      'The crowd left.',
    ]);
  });

  it('keeps decimals, money, URLs and e-mail addresses whole', () => {
    const text =
      'Growth was 3.5% and the deal was worth $1.2bn. See https://example.org/a.b?c=1 or mail press@example.co.uk for details. It ended.';
    expect(splitSentences(text)).toEqual([
      'Growth was 3.5% and the deal was worth $1.2bn.',
      'See https://example.org/a.b?c=1 or mail press@example.co.uk for details.',
      'It ended.',
    ]);
  });

  it('treats an ellipsis before a capital as a boundary and before lower case as a pause', () => {
    expect(splitSentences('The results were... disappointing. He paused\u2026 Then he left.')).toEqual([
      'The results were... disappointing.',
      'He paused\u2026',
      'Then he left.',
    ]);
  });

  it('does not split at a spaced ellipsis, which marks an omission or a pause in a title', () => {
    expect(
      splitSentences('Two hosts will front Strictly Gardening ... The Final Cut on Friday. Tickets sold out.'),
    ).toEqual(['Two hosts will front Strictly Gardening ... The Final Cut on Friday.', 'Tickets sold out.']);
    expect(splitSentences('The mayor said the plan \u2026 Nobody objected to it at all.')).toEqual([
      'The mayor said the plan \u2026 Nobody objected to it at all.',
    ]);
  });

  it('splits CJK full stops and keeps non-Latin scripts', () => {
    expect(splitSentences('今日は晴れです。明日は雨です。')).toEqual(['今日は晴れです。', '明日は雨です。']);
    expect(splitSentences('Дождь шёл весь день. Реки вышли из берегов.')).toEqual([
      'Дождь шёл весь день.',
      'Реки вышли из берегов.',
    ]);
  });
});
