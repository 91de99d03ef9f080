import { arithmetic } from './arithmetic.js';
import { caseConvert } from './case-convert.js';
import { csv } from './csv.js';
import { dates } from './dates.js';
import { encoding } from './encoding.js';
import { hash } from './hash.js';
import { json } from './json.js';
import { numberBase } from './number-base.js';
import { password } from './password.js';
import { percent } from './percent.js';
import { regex } from './regex.js';
import { roman } from './roman.js';
import { statistics } from './statistics.js';
import { textStats } from './text-stats.js';
import { tip } from './tip.js';
import type { ToolCapability } from './types.js';
import { units } from './units.js';
import { uuid } from './uuid.js';

export type { ToolCapability, ToolMatch, ToolRefusal } from './types.js';

/** Every in-process capability, by id. Tool agents in the catalog name one of these. */
export const toolCapabilities: ReadonlyMap<string, ToolCapability> = new Map(
  [arithmetic, percent, tip, units, dates, json, regex, encoding, hash, textStats, csv, uuid, numberBase, roman, caseConvert, statistics, password].map((c) => [
    c.id,
    c,
  ]),
);
