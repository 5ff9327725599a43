import { describe, expect, it } from 'vitest';
import { parseLooseDate } from '../../src/ingest/page/parse-loose-date.ts';

describe('parseLooseDate', () => {
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
    expect(parseLooseDate(input)).toBe(expected);
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(parseLooseDate(1700000000)).toBe('2023-11-14T22:13:20.000Z');
    expect(parseLooseDate(1700000000000)).toBe('2023-11-14T22:13:20.000Z');
  });

  it.each(['Russia invites US 12 March 2019', '31 February 2019', '03/04/2019', 'May', 'soon', ''])(
    'refuses %j',
    (input) => {
      expect(parseLooseDate(input)).toBeNull();
    },
  );
});
