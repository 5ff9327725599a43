/**
 * The preferences page's time-zone choice: today's IANA names only, grouped by region,
 * the reader's own zone first. The runtime's ICU list still carries names IANA has
 * renamed (Asia/Calcutta, Europe/Kiev): those are shown by their current name. A reader
 * whose stored zone is an old name sees it as the new one; both mean the same rules.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'Africa/Timbuktu': 'Africa/Bamako',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Rosario': 'America/Argentina/Cordoba',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Fort_Wayne': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Montreal': 'America/Toronto',
  'America/Ensenada': 'America/Tijuana',
  'America/Santa_Isabel': 'America/Tijuana',
  'America/Porto_Acre': 'America/Rio_Branco',
  'America/Atka': 'America/Adak',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Thimbu': 'Asia/Thimphu',
  'Asia/Ujung_Pandang': 'Asia/Makassar',
  'Asia/Macao': 'Asia/Macau',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Asia/Chongqing': 'Asia/Shanghai',
  'Asia/Chungking': 'Asia/Shanghai',
  'Asia/Harbin': 'Asia/Shanghai',
  'Asia/Kashgar': 'Asia/Urumqi',
  'Asia/Tel_Aviv': 'Asia/Jerusalem',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Atlantic/Jan_Mayen': 'Arctic/Longyearbyen',
  'Europe/Kiev': 'Europe/Kyiv',
  'Europe/Uzhgorod': 'Europe/Kyiv',
  'Europe/Zaporozhye': 'Europe/Kyiv',
  'Europe/Belfast': 'Europe/London',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Yap': 'Pacific/Chuuk',
  'Pacific/Samoa': 'Pacific/Pago_Pago',
  'Pacific/Johnston': 'Pacific/Honolulu',
};

/** Regions IANA names cities under; anything else (Etc/GMT+5, US/Eastern…) is an alias. */
const REGIONS = [
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
];

export interface ZoneOption {
  value: string;
  label: string;
}

export interface ZoneChoices {
  /** The reader's zone (by its current name), shown first and selected; null: the newsletter's default. */
  current: ZoneOption | null;
  groups: { region: string; zones: ZoneOption[] }[];
}

function isUsableZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The current IANA name of a zone (old names renamed), or the name itself. */
export function currentZoneName(name: string): string {
  const renamed = RENAMED[name];
  return renamed && isUsableZone(renamed) ? renamed : name;
}

const label = (name: string) => name.replace(/_/g, ' ');

/** Canonical names from the runtime's list, grouped by region, sorted; UTC on its own. */
export function groupTimeZones(runtimeZones: readonly string[]): { region: string; zones: string[] }[] {
  const names = new Set(runtimeZones.map(currentZoneName));
  return [
    { region: 'UTC', zones: ['UTC'] },
    ...REGIONS.map((region) => ({
      region,
      zones: [...names].filter((name) => name.startsWith(`${region}/`)).sort(),
    })).filter((group) => group.zones.length > 0),
  ];
}

export function zoneChoices(groups: { region: string; zones: string[] }[], readerZone: string | null): ZoneChoices {
  const current = readerZone ? currentZoneName(readerZone) : null;
  return {
    current: current ? { value: current, label: label(current) } : null,
    groups: groups
      .map((group) => ({
        region: group.region,
        zones: group.zones
          .filter((name) => name !== current)
          .map((name) => ({ value: name, label: label(name.slice(name.indexOf('/') + 1) || name) })),
      }))
      .filter((group) => group.zones.length > 0),
  };
}
