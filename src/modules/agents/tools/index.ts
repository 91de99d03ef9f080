import { arithmetic } from './arithmetic.js';
import { caseConvert } from './case-convert.js';
import { csv } from './csv.js';
import { dates } from './dates.js';
import { diff } from './diff.js';
import { encoding } from './encoding.js';
import { entities } from './entities.js';
import { hash } from './hash.js';
import { jsonSchema } from './json-schema.js';
import { json } from './json.js';
import { keywords } from './keywords.js';
import { language } from './language.js';
import { numberBase } from './number-base.js';
import { password } from './password.js';
import { percent } from './percent.js';
import { readabilityScores } from './readability.js';
import { regex } from './regex.js';
import { roman } from './roman.js';
import { sentiment } from './sentiment.js';
import { spelling } from './spelling.js';
import { statistics } from './statistics.js';
import { summary } from './summary.js';
import { textStats } from './text-stats.js';
import { tip } from './tip.js';
import type { ToolCapability } from './types.js';
import { units } from './units.js';
import { uuid } from './uuid.js';

export type { ToolCapability, ToolMatch, ToolRefusal } from './types.js';

/** Every in-process capability, by id. Tool agents in the catalog name one of these. */
export const toolCapabilities: ReadonlyMap<string, ToolCapability> = new Map(
  [
    arithmetic,
    percent,
    tip,
    units,
    dates,
    json,
    regex,
    encoding,
    hash,
    textStats,
    csv,
    uuid,
    numberBase,
    roman,
    caseConvert,
    statistics,
    password,
    language,
    readabilityScores,
    keywords,
    sentiment,
    entities,
    summary,
    spelling,
    jsonSchema,
    diff,
  ].map((c) => [c.id, c]),
);
