import { arithmetic } from './arithmetic.js';
import { mixed } from './composites.js';
import { dates } from './dates.js';
import { newCapabilities } from './new-capabilities.js';
import { percent } from './percent.js';
import { refusals } from './refusals.js';
import { textTools } from './text-tools.js';
import type { CorpusCase } from './types.js';
import { unitGrid, units } from './units.js';

export type { CorpusCase } from './types.js';

/** Everything, hand-written first: the phrasings people use; then generated: the units grid (every pair, both ways) and two requests asked as one. */
export const handWritten: CorpusCase[] = [...arithmetic, ...percent, ...units, ...dates, ...textTools, ...newCapabilities, ...refusals];
export const generated: CorpusCase[] = [...unitGrid, ...mixed];
export const corpus: CorpusCase[] = [...handWritten, ...generated];
