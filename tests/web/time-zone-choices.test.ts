import { describe, expect, it } from 'vitest';
import { currentZoneName, groupTimeZones, zoneChoices } from '../../src/web/subscriber/time-zone-choices.ts';

/** The preferences page's zone list, from the runtime's own ICU list (Node 20 still names Asia/Calcutta). */
describe('time-zone choices', () => {
  const runtime = Intl.supportedValuesOf('timeZone');
  const groups = groupTimeZones(runtime);
  const all = groups.flatMap((group) => group.zones);

  it('offers each zone once by its current IANA name, grouped by region', () => {
    for (const legacy of [
      'Asia/Calcutta',
      'Europe/Kiev',
      'Asia/Saigon',
      'Asia/Katmandu',
      'America/Godthab',
      'Atlantic/Faeroe',
    ])
      expect(all).not.toContain(legacy);
    for (const current of [
      'Asia/Kolkata',
      'Europe/Kyiv',
      'Asia/Ho_Chi_Minh',
      'Asia/Kathmandu',
      'America/Nuuk',
      'Atlantic/Faroe',
      'UTC',
    ])
      expect(all).toContain(current);
    expect(new Set(all).size).toBe(all.length);
    for (const group of groups.slice(1))
      for (const zone of group.zones) expect(zone.startsWith(`${group.region}/`)).toBe(true);
    expect(groups.map((group) => group.region)).toEqual([
      'UTC',
      'Africa',
      'America',
      'Antarctica',
      'Arctic',
      'Asia',
      'Atlantic',
      'Australia',
      'Europe',
      'Indian',
      'Pacific',
    ]);
  });

  it("puts the reader's zone first (by its current name) and not again in its group", () => {
    const choices = zoneChoices(groups, 'Europe/Kiev');
    expect(choices.current).toEqual({ value: 'Europe/Kyiv', label: 'Europe/Kyiv' });
    expect(choices.groups.find((group) => group.region === 'Europe')!.zones.map((zone) => zone.value)).not.toContain(
      'Europe/Kyiv',
    );
    expect(zoneChoices(groups, null).current).toBeNull();
    expect(choices.groups.find((group) => group.region === 'America')!.zones).toContainEqual({
      value: 'America/Argentina/Buenos_Aires',
      label: 'Argentina/Buenos Aires',
    });
    expect(currentZoneName('Europe/Berlin')).toBe('Europe/Berlin');
  });
});
