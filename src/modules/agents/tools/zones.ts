import { createRequire } from 'node:module';
import type { Temporal as TemporalApi } from 'temporal-polyfill';

let temporal: typeof TemporalApi | null = null;
/**
 * The Temporal polyfill, loaded at the first zone conversion: it reads each zone's rules
 * from the runtime's time-zone data, and resolves a wall time in a daylight-saving gap
 * or overlap as the standard says ("compatible": a skipped time moves forward, a repeated
 * one takes the earlier instant), which a hand-rolled offset lookup got wrong.
 */
export function Temporal(): typeof TemporalApi {
  return (temporal ??= (createRequire(import.meta.url)('temporal-polyfill') as { Temporal: typeof TemporalApi }).Temporal);
}

/** Places people name instead of a zone id: every IANA city ("Tokyo", "New York"), and a few countries and big cities the ids leave out. */
const EXTRA: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  'san francisco': 'America/Los_Angeles',
  'los angeles': 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  'new york city': 'America/New_York',
  nyc: 'America/New_York',
  boston: 'America/New_York',
  washington: 'America/New_York',
  miami: 'America/New_York',
  houston: 'America/Chicago',
  dallas: 'America/Chicago',
  beijing: 'Asia/Shanghai',
  china: 'Asia/Shanghai',
  mumbai: 'Asia/Kolkata',
  delhi: 'Asia/Kolkata',
  'new delhi': 'Asia/Kolkata',
  bangalore: 'Asia/Kolkata',
  india: 'Asia/Kolkata',
  japan: 'Asia/Tokyo',
  osaka: 'Asia/Tokyo',
  kyoto: 'Asia/Tokyo',
  uk: 'Europe/London',
  england: 'Europe/London',
  edinburgh: 'Europe/London',
  manchester: 'Europe/London',
  france: 'Europe/Paris',
  germany: 'Europe/Berlin',
  munich: 'Europe/Berlin',
  frankfurt: 'Europe/Berlin',
  spain: 'Europe/Madrid',
  barcelona: 'Europe/Madrid',
  italy: 'Europe/Rome',
  milan: 'Europe/Rome',
  'hong kong': 'Asia/Hong_Kong',
  seoul: 'Asia/Seoul',
  'south korea': 'Asia/Seoul',
  melbourne: 'Australia/Melbourne',
  sydney: 'Australia/Sydney',
  toronto: 'America/Toronto',
  montreal: 'America/Toronto',
  vancouver: 'America/Vancouver',
  'mexico city': 'America/Mexico_City',
  'sao paulo': 'America/Sao_Paulo',
  'são paulo': 'America/Sao_Paulo',
  'tel aviv': 'Asia/Jerusalem',
  dubai: 'Asia/Dubai',
  singapore: 'Asia/Singapore',
  // Renamed zones the runtime's list still gives under their old names (Asia/Calcutta, Europe/Kiev).
  kolkata: 'Asia/Kolkata',
  calcutta: 'Asia/Kolkata',
  kyiv: 'Europe/Kyiv',
  kiev: 'Europe/Kyiv',
  'ho chi minh city': 'Asia/Ho_Chi_Minh',
  'ho chi minh': 'Asia/Ho_Chi_Minh',
  saigon: 'Asia/Ho_Chi_Minh',
  kathmandu: 'Asia/Kathmandu',
  yangon: 'Asia/Yangon',
  nuuk: 'America/Nuuk',
};

let places: Map<string, string> | null = null;

/** The IANA zone a name stands for ("Tokyo", "asia/tokyo", "New York", "UTC"), or null. */
export function zoneOf(name: string): string | null {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!places) {
    places = new Map();
    for (const id of Intl.supportedValuesOf('timeZone')) {
      places.set(id.toLowerCase(), id);
      const city = id.split('/').pop()!.replace(/_/g, ' ').toLowerCase();
      if (id.includes('/') && !places.has(city)) places.set(city, id);
    }
    for (const [k, v] of Object.entries(EXTRA)) places.set(k, v);
  }
  const direct = places.get(key);
  if (direct) return direct;
  // A zone id the runtime knows under another name (an alias such as US/Eastern).
  if (/^[a-z]+\/[a-z_]+(?:\/[a-z_]+)?$/i.test(name.trim())) {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: name.trim() }).resolvedOptions().timeZone;
    } catch {
      return null;
    }
  }
  return null;
}

/** "9:00", "9am", "9:30 pm", "14:00", "noon", "midnight" as HH:MM, or null. */
export function clockOf(raw: string): string | null {
  const t = raw.trim().toLowerCase();
  if (t === 'noon' || t === 'midday') return '12:00';
  if (t === 'midnight') return '00:00';
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?$/.exec(t);
  if (!m || (!m[2] && !m[3])) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (m[3]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (m[3].startsWith('p') ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
