import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/core/parse-date.ts';

describe('parseDate: feed dates (RFC 822/1123, ISO 8601 / W3C-DTF, ctime)', () => {
  it.each([
    ['Sat, 19 Mar 1988 07:15:00 GMT', '1988-03-19T07:15:00.000Z'],
    ['Tue, 14 May 2024 09:30:00 EDT', '2024-05-14T13:30:00.000Z'],
    ['14 May 2024 09:30 PST', '2024-05-14T17:30:00.000Z'],
    ['Mon, 13 May 24 18:00 +0200', '2024-05-13T16:00:00.000Z'],
    ['Mon, 13 May 2024 18:00:00 +05:30', '2024-05-13T12:30:00.000Z'],
    ['Mon, 13 May 2024 18:00:00 UT', '2024-05-13T18:00:00.000Z'],
    ['Mon, 13 May 2024 18:00:00 Z', '2024-05-13T18:00:00.000Z'],
    ['Mon, 13 May 2024 18:00:00 A', '2024-05-13T17:00:00.000Z'],
    ['Mon, 13 May 2024 18:00:00', '2024-05-13T18:00:00.000Z'],
    ['2024-05-13T18:00:00.250+02:00', '2024-05-13T16:00:00.250Z'],
    ['2024-05-13T18:00:00Z', '2024-05-13T18:00:00.000Z'],
    ['2024-05-13', '2024-05-13T00:00:00.000Z'],
    ['2024-05-13 18:00', '2024-05-13T18:00:00.000Z'],
    ['Mon May 13 18:00:00 2024', '2024-05-13T18:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each(['not a date', '', '2024-02-31', '31 Foo 2024'])('rejects %j', (input) => {
    expect(parseDate(input)).toBeNull();
  });
});

describe('parseDate: page, front matter and JSON dates (free text)', () => {
  it.each([
    ['2015-07-24T05:36:09+01:00', '2015-07-24T04:36:09.000Z'],
    ['2015-07-24', '2015-07-24T00:00:00.000Z'],
    ['2015-07-24 10:00', '2015-07-24T10:00:00.000Z'],
    ['12 March 2019', '2019-03-12T00:00:00.000Z'],
    ['March 12, 2019, 10:30 GMT', '2019-03-12T10:30:00.000Z'],
    ['Published: 12.03.2019 14:05', '2019-03-12T14:05:00.000Z'],
    ['12 марта 2019 г., 14:05', '2019-03-12T14:05:00.000Z'],
    ['12. März 2019, 14:05 Uhr', '2019-03-12T14:05:00.000Z'],
    ['Tue, 12 Mar 2019 10:30:00 +0000', '2019-03-12T10:30:00.000Z'],
    ['Updated 3:45 pm EST, Wed March 4, 2020', '2020-03-04T20:45:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(parseDate(1700000000)).toBe('2023-11-14T22:13:20.000Z');
    expect(parseDate(1700000000000)).toBe('2023-11-14T22:13:20.000Z');
  });

  it.each(['Russia invites US 12 March 2019', '31 February 2019', '03/04/2019', 'May', 'soon', ''])(
    'refuses %j',
    (input) => {
      expect(parseDate(input)).toBeNull();
    },
  );
});

describe('parseDate: one parser for both', () => {
  it.each([
    // Feed layouts now also understand what only the page parser knew, and back.
    ['Di, 14 Mai 2024 09:30:00 +0200', '2024-05-14T07:30:00.000Z'],
    ['14 May 2024 09:30 SGT', '2024-05-14T09:30:00.000Z'], // unknown zone in capitals: the wall time, as UTC
    ['14 mai 2024 09:30:00 CEST', '2024-05-14T07:30:00.000Z'],
    ['Tue, 14 May 2024 3:45 pm EDT', '2024-05-14T19:45:00.000Z'],
    ['14 May 2024 12:05 AM +0000', '2024-05-14T00:05:00.000Z'],
    ['Tue May 14 2024 09:30:00 GMT+0200 (Central European Summer Time)', '2024-05-14T07:30:00.000Z'],
    ['Tue, 14 May 2024 09:30:00 -0700 (PDT)', '2024-05-14T16:30:00.000Z'],
    ['Tue, 14 May 2024 09:30:00 (PDT)', '2024-05-14T16:30:00.000Z'],
    ['Tue, 14 May 2024 09:30:00.750 +0000', '2024-05-14T09:30:00.750Z'],
    ['2024-05-14T09:30:00 GMT+01:00', '2024-05-14T08:30:00.000Z'],
    ['20240514', '2024-05-14T00:00:00.000Z'],
    ['2024', '2024-01-01T00:00:00.000Z'],
    ['1715679000', '2024-05-14T09:30:00.000Z'],
    ['14 May 2024 09:30 JST', '2024-05-14T00:30:00.000Z'],
    ['14.05.2024 09:30 UTC+3', '2024-05-14T06:30:00.000Z'],
    ['Sept 14, 2024', '2024-09-14T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each([
    '12 March 2019 Russia invites US', // feed layout with words after it
    '12 March 2019 the end',
    'London 12 March 2019',
    'Opublikowano 14 Sep 2024', // an unknown word before a date
    'hello world 2019 UTC', // the JS engine calls this 2019-01-01
    'the end 3 GMT',
    'Russia invites US 12 March 2019 GMT',
    '12 March 2019 10:30 sgt', // unknown zones count only when written in capitals
    'constructor 12 2019', // no Object.prototype lookups
    `Published ${'very '.repeat(20)}12 March 2019`,
    null,
    undefined,
    0,
    Number.NaN,
  ])('refuses %j', (input) => {
    expect(parseDate(input)).toBeNull();
  });

  describe('does not depend on the machine time zone', () => {
    const saved = process.env.TZ;
    beforeEach(() => {
      process.env.TZ = 'Pacific/Kiritimati'; // UTC+14: any local-time reading would show
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    it.each([
      ['2024-05-14 09:30', '2024-05-14T09:30:00.000Z'],
      ['14 May 2024 09:30', '2024-05-14T09:30:00.000Z'],
      ['May 14 09:30:00 2024', '2024-05-14T09:30:00.000Z'],
      ['14.05.2024 09:30', '2024-05-14T09:30:00.000Z'],
      ['14 мая 2024', '2024-05-14T00:00:00.000Z'],
    ])('%s → %s', (input, expected) => {
      expect(new Date(2024, 4, 14).getTimezoneOffset()).toBe(-840);
      expect(parseDate(input)).toBe(expected);
    });
  });
});
