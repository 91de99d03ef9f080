import { formatNumber, type ToolCapability } from './types.js';

export const statistics: ToolCapability = {
  id: 'statistics',
  description: 'Descriptive statistics of a list of numbers: count, sum, mean, median, mode, min, max, standard deviation',
  match(text) {
    if (!/\b(mean|average|median|mode|standard deviation|std ?dev|variance|statistics|sum)\b/i.test(text)) return null;
    const list = /(-?\d+(?:\.\d+)?(?:\s*[,;]\s*-?\d+(?:\.\d+)?){1,})/.exec(text.replace(/(\d),(?=\d{3}\b)/g, '$1'));
    if (!list) return null;
    // Numbers or arithmetic outside the list mean another question ("the mean of 1, 2, 3 plus 10").
    const outside = text.replace(/(\d),(?=\d{3}\b)/g, '$1').replace(list[1]!, ' ');
    if (/\d|[-+*/^%=]|\b(?:plus|minus|times|divided|multiplied|percent|excluding|except|without|weighted|rounded|squared|then)\b/i.test(outside)) return null;
    const values = list[1]!.split(/[,;]/).map((v) => Number(v.trim()));
    return { confidence: 0.92, reasoning: `Statistics of ${values.length} numbers`, plan: values };
  },
  run(raw) {
    const values = (raw as number[]).slice();
    const n = values.length;
    const sorted = values.sort((a, b) => a - b);
    const sum = sorted.reduce((a, b) => a + b, 0);
    const mean = sum / n;
    const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    const counts = new Map<number, number>();
    for (const v of sorted) counts.set(v, (counts.get(v) ?? 0) + 1);
    const top = Math.max(...counts.values());
    const mode =
      top > 1
        ? [...counts]
            .filter(([, c]) => c === top)
            .map(([v]) => formatNumber(v))
            .join(', ')
        : 'none';
    const variance = sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    const sample = n > 1 ? Math.sqrt(sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
    return [
      `count: ${n}`,
      `sum: ${formatNumber(sum)}`,
      `mean: ${formatNumber(mean)}`,
      `median: ${formatNumber(median)}`,
      `mode: ${mode}`,
      `min: ${formatNumber(sorted[0]!)}`,
      `max: ${formatNumber(sorted[n - 1]!)}`,
      `population std dev: ${formatNumber(Math.sqrt(variance))}`,
      `sample std dev: ${formatNumber(sample)}`,
    ].join('\n');
  },
};
