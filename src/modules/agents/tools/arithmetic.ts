import { formatNumber, type ToolCapability } from './types.js';

const WORD_OPERATORS: Array<[RegExp, string]> = [
  [/\bmultiplied by\b|\btimes\b|×/gi, '*'],
  [/\bdivided by\b|÷/gi, '/'],
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\bto the power of\b|\*\*/gi, '^'],
];

/** A number as written: 2340, 3.5, 1e3, 2.5E-3. */
const NUMBER_TOKEN = String.raw`\d+(?:\.\d+)?(?:e[+-]?\d+)?`;

/**
 * A safe recursive-descent evaluator: + - * / % ^, unary minus, parentheses. No eval.
 * `^` binds tighter than unary minus, as in mathematics: -2^2 is -4, 2^-1 is 0.5.
 */
export function evaluate(expression: string): number {
  const tokens = expression.match(new RegExp(`${NUMBER_TOKEN}|[-+*/%^()]`, 'gi')) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = () => tokens[i++];
  const expr = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') v = take() === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = unary();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = take();
      const r = unary();
      if ((op === '/' || op === '%') && r === 0) throw new Error('division by zero');
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  };
  const unary = (): number => (peek() === '-' ? (take(), -unary()) : peek() === '+' ? (take(), unary()) : power());
  // Right-associative (2^3^2 is 2^9); the exponent may carry its own sign.
  const power = (): number => {
    const base = atom();
    return peek() === '^' ? (take(), base ** unary()) : base;
  };
  const atom = (): number => {
    const t = take();
    if (t === '(') {
      const v = expr();
      if (take() !== ')') throw new Error('unbalanced parentheses');
      return v;
    }
    if (t === undefined || !/^\d/.test(t)) throw new Error(`unexpected ${t ?? 'end of expression'}`);
    return Number(t);
  };
  const value = expr();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return value;
}

function extract(text: string): string | null {
  // Dates (2024-01-01) and times (14:00) are not subtractions.
  let t = text.replace(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}/g, ' ').replace(/(\d),(?=\d{3}\b)/g, '$1');
  for (const [re, op] of WORD_OPERATORS) t = t.replace(re, ` ${op} `);
  // Runs of numbers, operators and spaces: the expression is the longest such run.
  const candidates = t.match(new RegExp(`(?:${NUMBER_TOKEN}|[-+*/%^()\\s])+`, 'gi')) ?? [];
  const best = candidates
    .map((c) => c.trim())
    .filter((c) => /\d\s*[-+*/%^]\s*[-(\d]/.test(c) && /^[-(\d]/.test(c))
    .sort((a, b) => b.length - a.length)[0];
  return best ?? null;
}

export const arithmetic: ToolCapability = {
  id: 'arithmetic',
  description: 'Evaluates arithmetic expressions: + - * / % ^ and parentheses',
  match(text) {
    if (/%\s*of\b|\bpercent/i.test(text)) return null; // the percentage tool's job
    const expression = extract(text);
    if (!expression) return null;
    try {
      // Bid only on what it can answer: a result too large for a number is not one.
      if (!Number.isFinite(evaluate(expression))) return null;
    } catch {
      return null;
    }
    const mathy = /\b(what is|what's|calculate|compute|evaluate|solve|how much is)\b|[=?]\s*$/i.test(text);
    return { confidence: mathy ? 0.95 : 0.86, reasoning: `Arithmetic expression found: ${expression}`, plan: expression };
  },
  run(plan) {
    const expression = String(plan);
    return `${expression} = ${formatNumber(evaluate(expression))}`;
  },
};
