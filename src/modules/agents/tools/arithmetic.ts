import { formatNumber, type ToolCapability } from './types.js';

const WORD_OPERATORS: Array<[RegExp, string]> = [
  [/\bmultiplied by\b|\btimes\b|×/gi, '*'],
  [/\bdivided by\b|÷/gi, '/'],
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\bto the power of\b|\*\*/gi, '^'],
];

/** A safe recursive-descent evaluator: + - * / % ^, unary minus, parentheses. No eval. */
export function evaluate(expression: string): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/%^()]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = () => tokens[i++];
  const expr = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') v = take() === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = power();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = take();
      const r = power();
      if ((op === '/' || op === '%') && r === 0) throw new Error('division by zero');
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  };
  const power = (): number => {
    const base = unary();
    return peek() === '^' ? (take(), base ** power()) : base;
  };
  const unary = (): number => (peek() === '-' ? (take(), -unary()) : peek() === '+' ? (take(), unary()) : atom());
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
  const candidates = t.match(/[\d.()+\-*/%^\s]+/g) ?? [];
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
      evaluate(expression);
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
