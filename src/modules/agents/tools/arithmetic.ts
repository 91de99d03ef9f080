import { createRequire } from 'node:module';
import { onlyFiller, plainNumbers } from './phrasing.js';
import { formatNumber, type ToolCapability } from './types.js';

/** The parts of mathjs this tool uses: its parser (an AST to check) and evaluator. */
interface MathNode {
  type: string;
  implicit?: boolean;
  fn?: string | { name: string };
  op?: string;
  traverse(callback: (node: MathNode) => void): void;
  evaluate(): unknown;
}
interface MathJs {
  parse(expression: string): MathNode;
}

let mathjs: MathJs | null = null;
/**
 * mathjs's number-only build, loaded at the first text that reads as an expression, not
 * at startup: it takes some 300 ms and several MB of heap that a gateway never asked
 * a sum needs. `require` keeps `match` synchronous; the package ships a CommonJS build.
 */
function math(): MathJs {
  return (mathjs ??= createRequire(import.meta.url)('mathjs/number') as MathJs);
}

const NUM = String.raw`\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
/** An operand a word applies to: a number or a parenthesised group (one level). */
// Starts only where a run of digits starts (as types.ts NUMBER does): tried inside a run of 8,000 digits it rescanned the rest from each one.
const OPERAND = String.raw`((?<![\d.])${NUM}|\([^()]*\))`;
/** Longer than anyone types as a sum: mathjs takes tens of milliseconds per thousand terms, on the event loop. */
const MAX_EXPRESSION_CHARS = 300;

/** Words people use for operations, rewritten to the expression they mean. Order matters: longest phrases first. */
const PHRASES: Array<[RegExp, string]> = [
  [new RegExp(String.raw`\b(?:the\s+)?square\s+root\s+of\s+${OPERAND}`, 'g'), 'sqrt($1)'],
  [new RegExp(String.raw`\b(?:the\s+)?cube\s+root\s+of\s+${OPERAND}`, 'g'), 'cbrt($1)'],
  [new RegExp(String.raw`(?:√|\bsqrt\s*)${OPERAND}`, 'g'), 'sqrt($1)'],
  [new RegExp(String.raw`\b(?:the\s+)?factorial\s+of\s+(\d+)\b`, 'g'), '$1!'],
  [/\b(\d+)\s+factorial\b/g, '$1!'],
  [new RegExp(String.raw`\bround\s+(?:off\s+)?${OPERAND}\s+to\s+(\d+)\s+(?:decimal\s+places?|decimals|dp|places?|digits?)`, 'g'), 'round($1, $2)'],
  [new RegExp(String.raw`\bround\s+(?:off\s+)?${OPERAND}(?:\s+to\s+(?:the\s+)?nearest\s+(?:whole\s+number|integer|one))?(?=\s*(?:[?.!]|$))`, 'g'), 'round($1)'],
  [new RegExp(String.raw`${OPERAND}\s+squared\b`, 'g'), '$1^2'],
  [new RegExp(String.raw`${OPERAND}\s+cubed\b`, 'g'), '$1^3'],
  [/\b(?:raised\s+)?to\s+the\s+power\s+of\b|\braised\s+to\b|\*\*/g, '^'],
  [/\bmultiplied\s+by\b|\btimes\b|×|(?<=\d\s?)x(?=\s?[\d(])/g, '*'],
  [/\bdivided\s+by\b|\bover\b|÷/g, '/'],
  [/\bplus\b|\badded\s+to\b/g, '+'],
  [/\bminus\b|\bless\b/g, '-'],
  [/\bmod(?:ulo)?\b/g, ' mod '],
];

/** Runs of expression: numbers, operators, the functions the phrases produce, parentheses. */
const EXPRESSION_RUN = new RegExp(String.raw`(?:${NUM}|\b(?:sqrt|cbrt|round|mod)\b|[-+*/^()!,.\s])+`, 'g');
const FUNCTIONS = new Set(['sqrt', 'cbrt', 'round']);
const OPERATORS = new Set(['+', '-', '*', '/', '^', '!', 'mod']);

/** A date, a time, a version or a phone-like run is not a subtraction or a division to compute. */
const NOT_ARITHMETIC = /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}:\d{2}|%|\bpercent|(?<![\d.])\d+\.\d+\.\d+/i;

/** The expression the whole text asks for, in mathjs syntax, or null when the text holds anything else. */
export function expressionOf(text: string): string | null {
  // Most intents hold no digit at all: the cheapest way out, before any rewriting.
  if (!/\d/.test(text) || NOT_ARITHMETIC.test(text)) return null;
  let t = plainNumbers(text.toLowerCase()).replace(/(?<=\d)\s*=\s*\??\s*$/, ' ');
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  t = t.replace(/\b(sqrt|cbrt|round)\(\(([^()]*)\)\)/g, '$1($2)');
  const runs = (t.match(EXPRESSION_RUN) ?? []).map((r) => r.trim().replace(/[.,]$/, '').trim()).filter((r) => /\d/.test(r));
  if (runs.length !== 1) return null;
  const expression = runs[0]!;
  if (expression.length > MAX_EXPRESSION_CHARS) return null;
  if (!onlyFiller(t.replace(runs[0]!, ' '))) return null;
  if (!/[-+*/^!]|\b(?:sqrt|cbrt|round|mod)\b/.test(expression)) return null;
  return expression.replace(/\s+/g, ' ');
}

/** Parses with mathjs and accepts only numbers, the operators and functions above: no implicit multiplication ("2 3"), no names. */
export function evaluate(expression: string): number {
  const node = math().parse(expression);
  node.traverse((n) => {
    if (n.type === 'ConstantNode' || n.type === 'ParenthesisNode') return;
    if (n.type === 'OperatorNode' && !n.implicit && OPERATORS.has(n.op!)) return;
    if (n.type === 'FunctionNode' && FUNCTIONS.has(typeof n.fn === 'string' ? n.fn : (n.fn?.name ?? ''))) return;
    if (n.type === 'SymbolNode' && FUNCTIONS.has(String((n as { name?: string }).name))) return;
    throw new Error(`unsupported in an expression: ${n.type}`);
  });
  const value = node.evaluate();
  if (typeof value !== 'number') throw new Error('the expression has no numeric value');
  if (!Number.isFinite(value)) throw new Error(/\/\s*\(?\s*0\b|\bmod\s+0\b/.test(expression) ? 'division by zero' : 'the result is not a finite number');
  return value;
}

export const arithmetic: ToolCapability = {
  id: 'arithmetic',
  description: 'Evaluates arithmetic: + - * / ^, powers (squared, cubed), square and cube roots, factorials, rounding, mod and parentheses',
  match(text) {
    const expression = expressionOf(text);
    if (!expression) return null;
    try {
      evaluate(expression);
    } catch {
      return null;
    }
    return { confidence: 0.95, reasoning: `Arithmetic expression: ${expression}`, plan: expression };
  },
  run(plan) {
    const expression = String(plan);
    const value = evaluate(expression);
    // Past 2^53 a double no longer holds every integer: 3^40 printed in full would end in
    // made-up digits (…929000 for …928801), so such a result is given to 15 significant digits.
    const shown = Math.abs(value) > Number.MAX_SAFE_INTEGER ? value.toPrecision(15).replace(/\.?0+e/, 'e') : formatNumber(value);
    return `${expression} = ${shown}`;
  },
};
