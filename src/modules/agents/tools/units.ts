import { onlyFiller, plainNumbers, restOf } from './phrasing.js';
import { NUMBER, formatNumber, parseNumber, type ToolCapability } from './types.js';

/** Factors to each dimension's base unit (metre, kilogram, litre, m/s, byte). */
const LINEAR: Record<string, Record<string, number>> = {
  length: { mm: 0.001, cm: 0.01, m: 1, km: 1000, in: 0.0254, ft: 0.3048, yd: 0.9144, mi: 1609.344, nmi: 1852 },
  mass: { mg: 1e-6, g: 0.001, kg: 1, t: 1000, oz: 0.028349523125, lb: 0.45359237, st: 6.35029318 },
  volume: {
    ml: 0.001,
    l: 1,
    tsp: 0.00492892159375,
    tbsp: 0.01478676478125,
    cup: 0.2365882365,
    pt: 0.473176473,
    qt: 0.946352946,
    gal: 3.785411784,
    floz: 0.0295735295625,
  },
  speed: { 'm/s': 1, 'km/h': 1 / 3.6, mph: 0.44704, kn: 1852 / 3600 },
  data: { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 },
};

const ALIASES: Record<string, string> = {
  millimeter: 'mm',
  millimetre: 'mm',
  centimeter: 'cm',
  centimetre: 'cm',
  meter: 'm',
  metre: 'm',
  kilometer: 'km',
  kilometre: 'km',
  inch: 'in',
  inches: 'in',
  foot: 'ft',
  feet: 'ft',
  yard: 'yd',
  mile: 'mi',
  miles: 'mi',
  'nautical mile': 'nmi',
  milligram: 'mg',
  gram: 'g',
  kilogram: 'kg',
  kilo: 'kg',
  kilos: 'kg',
  tonne: 't',
  ton: 't',
  ounce: 'oz',
  pound: 'lb',
  lbs: 'lb',
  stone: 'st',
  milliliter: 'ml',
  millilitre: 'ml',
  liter: 'l',
  litre: 'l',
  teaspoon: 'tsp',
  tablespoon: 'tbsp',
  pint: 'pt',
  quart: 'qt',
  gallon: 'gal',
  'fl oz': 'floz',
  kph: 'km/h',
  kmh: 'km/h',
  'miles per hour': 'mph',
  knot: 'kn',
  knots: 'kn',
  'meters per second': 'm/s',
  byte: 'b',
  bytes: 'b',
  kilobyte: 'kb',
  megabyte: 'mb',
  gigabyte: 'gb',
  terabyte: 'tb',
  celsius: 'c',
  '°c': 'c',
  fahrenheit: 'f',
  '°f': 'f',
  kelvin: 'k',
  degree: 'c',
  'degrees celsius': 'c',
  'degrees fahrenheit': 'f',
  'degree celsius': 'c',
  'degree fahrenheit': 'f',
  metric: 't',
  'metric ton': 't',
  'metric tonne': 't',
  'fluid ounce': 'floz',
  'fl. oz': 'floz',
  'kilometers per hour': 'km/h',
  'kilometres per hour': 'km/h',
  'km per hour': 'km/h',
  'metres per second': 'm/s',
  mps: 'm/s',
  cups: 'cup',
  tbs: 'tbsp',
  tsps: 'tsp',
  kibibyte: 'kib',
  mebibyte: 'mib',
  gibibyte: 'gib',
  tebibyte: 'tib',
  nmi: 'nmi',
  'nautical miles': 'nmi',
  lb: 'lb',
};

function canonical(raw: string): string | null {
  const u = raw.trim().toLowerCase().replace(/\.$/, '');
  const singular = u.replace(/(?<=[a-z]{3})s$/, '');
  const name = ALIASES[u] ?? ALIASES[singular] ?? ALIASES[u.replace(/es$/, '')] ?? u;
  // "degree" alone says no scale: only with celsius or fahrenheit.
  if (u === 'degree' || u === 'degrees') return null;
  if (['c', 'f', 'k'].includes(name)) return name;
  return Object.values(LINEAR).some((d) => name in d) ? name : null;
}

function convertTemperature(v: number, from: string, to: string): number {
  const celsius = from === 'c' ? v : from === 'f' ? ((v - 32) * 5) / 9 : v - 273.15;
  return to === 'c' ? celsius : to === 'f' ? (celsius * 9) / 5 + 32 : celsius + 273.15;
}

export function convert(value: number, from: string, to: string): number {
  if (['c', 'f', 'k'].includes(from) || ['c', 'f', 'k'].includes(to)) {
    if (!['c', 'f', 'k'].includes(from) || !['c', 'f', 'k'].includes(to)) throw new Error(`cannot convert ${from} to ${to}`);
    return convertTemperature(value, from, to);
  }
  const dimension = Object.values(LINEAR).find((d) => from in d && to in d);
  if (!dimension) throw new Error(`cannot convert ${from} to ${to}: different kinds of quantity`);
  return (value * dimension[from]!) / dimension[to]!;
}

const UNIT = String.raw`(°?[a-zA-Z/]+\.?(?:\s(?:oz|miles?|per hour|per second|celsius|fahrenheit|tons?|tonnes?|ounces?))?)`;
const V = `(${NUMBER})`;
/** "5 km to miles", "convert 5 km into miles", "how many feet are in 3 meters", "how many kilobytes is 3.5 megabytes". */
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => [string, string, string]]> = [
  [new RegExp(String.raw`${V}\s*${UNIT}\s+(?:to|in|into|as|in\s+to|=)\s+${UNIT}`, 'i'), (m) => [m[1]!, m[2]!, m[3]!]],
  [
    new RegExp(String.raw`how\s+many\s+${UNIT}\s+(?:are\s+|is\s+)?(?:there\s+)?(?:in|is|are|make(?:s)?|equals?|to)\s+(?:an?\s+)?${V}\s*${UNIT}`, 'i'),
    (m) => [m[2]!, m[3]!, m[1]!],
  ],
  [new RegExp(String.raw`how\s+many\s+${UNIT}\s+(?:are\s+|is\s+)?(?:there\s+)?(?:in|is|are|to)\s+(?:an?|one)\s+${UNIT}`, 'i'), (m) => ['1', m[2]!, m[1]!]],
  [new RegExp(String.raw`${V}\s*${UNIT}\s+(?:is|are|equals?|makes?)\s+how\s+many\s+${UNIT}`, 'i'), (m) => [m[1]!, m[2]!, m[3]!]],
];

function parse(text: string): { value: number; from: string; to: string } | null {
  const plain = plainNumbers(text);
  for (const [re, parts] of PATTERNS) {
    const m = re.exec(plain);
    if (!m) continue;
    const [value, rawFrom, rawTo] = parts(m);
    const from = canonical(rawFrom);
    const to = canonical(rawTo);
    // "how many pounds is 10 kg in lb": the question names the unit it then asks for.
    const rest = restOf(plain, m).replace(/how\s+many\s+([a-z]+)\s+(?:is|are)\b/i, (all, unit: string) => (canonical(unit) === to ? ' ' : all));
    if (!from || !to || !onlyFiller(rest.replace(/\b(?:convert|conversion|change|turn|express|from|units?)\b/gi, ' '))) continue;
    return { value: parseNumber(value), from, to };
  }
  return null;
}

export const units: ToolCapability = {
  id: 'units',
  description: 'Unit conversion: length, mass, volume, temperature, speed, data sizes',
  match(text) {
    const plan = parse(text);
    if (!plan) return null;
    const { from, to } = plan;
    try {
      convert(1, from, to);
    } catch {
      return null;
    }
    return { confidence: 0.96, reasoning: `Unit conversion from ${from} to ${to}`, plan };
  },
  run(raw) {
    const { value, from, to } = raw as { value: number; from: string; to: string };
    const label = (u: string) => (['c', 'f', 'k'].includes(u) ? `°${u.toUpperCase()}`.replace('°K', 'K') : u);
    return `${formatNumber(value)} ${label(from)} = ${formatNumber(Number(convert(value, from, to).toPrecision(10)))} ${label(to)}`;
  },
};
