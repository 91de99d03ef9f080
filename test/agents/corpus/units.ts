import { createRequire } from 'node:module';
import { cases, type CorpusCase } from './types.js';

/** The full mathjs (not the gateway's): an oracle written by others, to check the converter against. */
const math = createRequire(import.meta.url)('mathjs') as { unit(value: number, name: string): { toNumber(name: string): number } };

/** Each unit the converter holds: how people write it, and its definition in mathjs terms. */
const UNITS: Record<string, Array<[code: string, spoken: string, oracle: string]>> = {
  length: [
    ['mm', 'millimeters', 'mm'],
    ['cm', 'centimetres', 'cm'],
    ['m', 'meters', 'm'],
    ['km', 'kilometers', 'km'],
    ['in', 'inches', 'in'],
    ['ft', 'feet', 'ft'],
    ['yd', 'yards', 'yd'],
    ['mi', 'miles', 'mi'],
    ['nmi', 'nautical miles', '1852 m'],
  ],
  mass: [
    ['mg', 'milligrams', 'mg'],
    ['g', 'grams', 'g'],
    ['kg', 'kilograms', 'kg'],
    ['t', 'tonnes', 'tonne'],
    ['oz', 'ounces', 'oz'],
    ['lb', 'pounds', 'lb'],
    ['st', 'stone', 'stone'],
  ],
  volume: [
    ['ml', 'milliliters', 'ml'],
    ['l', 'liters', 'l'],
    ['tsp', 'teaspoons', '0.16666666666666666 floz'],
    ['tbsp', 'tablespoons', '0.5 floz'],
    ['cup', 'cups', 'cup'],
    ['pt', 'pints', 'pint'],
    ['qt', 'quarts', 'quart'],
    ['gal', 'gallons', 'gallon'],
    ['floz', 'fluid ounces', 'floz'],
  ],
  speed: [
    ['m/s', 'meters per second', 'm/s'],
    ['km/h', 'kilometers per hour', 'km/h'],
    ['mph', 'miles per hour', 'mi/h'],
    ['kn', 'knots', '0.5144444444444445 m/s'],
  ],
  data: [
    ['B', 'bytes', 'B'],
    ['KB', 'kilobytes', 'kB'],
    ['MB', 'megabytes', 'MB'],
    ['GB', 'gigabytes', 'GB'],
    ['TB', 'terabytes', 'TB'],
    ['KiB', 'kibibytes', 'KiB'],
    ['MiB', 'mebibytes', 'MiB'],
    ['GiB', 'gibibytes', 'GiB'],
    ['TiB', 'tebibytes', 'TiB'],
  ],
  temperature: [
    ['C', 'celsius', 'degC'],
    ['F', 'fahrenheit', 'degF'],
    ['K', 'kelvin', 'K'],
  ],
};

/** The value after "=" in "3 m = 9.842519685 ft", within 1e-9 of the oracle's. */
function near(expected: number): (output: string) => boolean {
  return (output) => {
    const got = Number(/= (-?[\d.e+-]+)/.exec(output)?.[1]);
    return Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  };
}

function oracle(value: number, from: string, to: string): number {
  const [fromScale, fromUnit] = /^[\d.]+ /.test(from) ? [Number(from.split(' ')[0]), from.split(' ')[1]!] : [1, from];
  const [toScale, toUnit] = /^[\d.]+ /.test(to) ? [Number(to.split(' ')[0]), to.split(' ')[1]!] : [1, to];
  return (math.unit(value * fromScale, fromUnit).toNumber(toUnit) / toScale) as number;
}

/** Every pair the units table holds, asked both ways people ask: "convert 3 X to Y" and "how many Y in 3 X". */
function grid(): CorpusCase[] {
  const out: CorpusCase[] = [];
  let i = 0;
  for (const units of Object.values(UNITS)) {
    for (const [fromCode, fromName, fromOracle] of units) {
      for (const [toCode, toName, toOracle] of units) {
        if (fromCode === toCode) continue;
        const value = [3, 2.5, 12, 0.75, 100][i++ % 5]!;
        const expected = oracle(value, fromOracle, toOracle);
        out.push({ text: i % 2 ? `convert ${value} ${fromCode} to ${toCode}` : `${value} ${fromName} in ${toName}`, expect: near(expected), tool: 'units' });
        out.push({
          text: i % 2 ? `How many ${toName} are in ${value} ${fromName}?` : `how many ${toCode} is ${value} ${fromCode}`,
          expect: near(expected),
          tool: 'units',
        });
      }
    }
  }
  return out;
}

export const unitGrid = grid();

export const units = cases([
  ['How many feet are in 3 meters?', '= 9.842519685 ft'],
  ['How many ounces in 2 pounds?', '= 32 oz'],
  ['How many kilobytes is 3.5 megabytes?', '= 3500 kb'],
  ['Convert 5 km to miles', '= 3.106855961 mi'],
  ['convert 100 F to C', '= 37.77777778 °C'],
  ['What is 100 celsius in fahrenheit?', '= 212 °F'],
  ['72 degrees fahrenheit to celsius', '= 22.22222222 °C'],
  ['0 C to K', '= 273.15 K'],
  ['convert 300 kelvin to celsius', '= 26.85 °C'],
  ['-40 f in c', '= -40 °C'],
  ['how many pounds is 10 kg in lb', '= 22.04622622 lb'],
  ['2 GiB to MB', '= 2147.483648 mb'],
  ['10 knots to km/h', '= 18.52 km/h'],
  ['how many inches in a foot', '= 12 in'],
  ['how many cups in a gallon?', '= 16 cup'],
  ['convert 3 cups into ml', '= 709.7647095 ml'],
  ['1,500 meters to miles', '= 0.9320567884 mi'],
  ['5,280 feet in miles', '= 1 mi'],
  ['convet 10 miles to km', '= 16.09344 km'],
  ['pls convert 60 mph to km/h', '= 96.56064 km/h'],
  ['how many grams are there in 1 pound?', '= 453.59237 g'],
  ['6 feet is how many meters', '= 1.8288 m'],
  ['how many kilos is 150 lbs', '= 68.0388555 kg'],
  ['Convert 5 km to miles in Excel', null],
  ['how do I convert 5 km to miles in Excel?', null],
  ['I need a bash script that converts 5 km to miles', null],
  ['convert 5 km to kg', null],
  ['How many miles is it from London to Paris?', null],
  ['5 km to miles is that a long run?', null],
  ['convert 10 apples to oranges', null],
  ['How many calories are in 2 eggs?', null],
  ['convert 100 usd to eur', null],
]);
