import type { AuctionEvent } from './events';

export interface BarBid {
  agent: string;
  name: string;
  emoji: string;
  domain: string | null;
  outcome: string;
  confidence: number | null;
  reasoning: string | null;
  latencyMs: number;
  seq: number;
}

export type Phase = 'waiting' | 'bidding' | 'closed' | 'executing' | 'verifying' | 'completed' | 'failed' | 'cancelled';

export interface AuctionState {
  text: string | null;
  tier: string | null;
  sandbox: boolean;
  phase: Phase;
  bids: BarBid[];
  asked: number | null;
  winner: string | null;
  /** Who executed, in order (the failover chain). */
  executions: Array<{ agent: string; name: string }>;
  failovers: Array<{ from: string; to: string; reason: string }>;
  verifications: Array<{ agent: string; accepted: boolean; reason: string | null }>;
  output: string;
  receipt: { result: string | null; winner: string | null; inputTokens: number; outputTokens: number; costUsd: number; promotions: number } | null;
  failure: { code: string; message: string } | null;
  cancelled: string | null;
  lastSeq: number;
}

export const EMPTY: AuctionState = {
  text: null,
  tier: null,
  sandbox: false,
  phase: 'waiting',
  bids: [],
  asked: null,
  winner: null,
  executions: [],
  failovers: [],
  verifications: [],
  output: '',
  receipt: null,
  failure: null,
  cancelled: null,
  lastSeq: 0,
};

/** The auction as its events so far tell it; pure, so the live view and the replay share it. */
export function fold(events: readonly AuctionEvent[]): AuctionState {
  const s: AuctionState = { ...EMPTY, bids: [], executions: [], failovers: [], verifications: [] };
  for (const e of events) {
    s.lastSeq = e.seq;
    switch (e.__typename) {
      case 'IntentCreated':
        Object.assign(s, { text: e.text, tier: e.auctionTier, sandbox: e.sandbox, phase: 'bidding' });
        break;
      case 'BidPlaced':
        s.phase = 'bidding';
        s.bids.push({ ...e, seq: e.seq });
        break;
      case 'AuctionClosed':
        Object.assign(s, { phase: 'closed', winner: e.winner ?? null, asked: e.asked });
        break;
      case 'ExecutionStarted':
        s.phase = 'executing';
        s.executions.push({ agent: e.agent, name: e.name });
        break;
      case 'ResultChunk':
        s.output += e.text;
        break;
      case 'Verification':
        s.phase = 'verifying';
        s.verifications.push({ agent: e.agent, accepted: e.accepted, reason: e.verdict ?? null });
        break;
      case 'Failover':
        s.failovers.push({ from: e.from, to: e.to, reason: e.reason });
        s.output = '';
        break;
      case 'IntentCompleted':
        s.phase = 'completed';
        s.receipt = { ...e, result: e.result ?? null, winner: e.winner ?? null };
        if (e.winner) s.winner = e.winner;
        break;
      case 'IntentFailed':
        Object.assign(s, { phase: 'failed', failure: { code: e.code, message: e.message } });
        break;
      case 'IntentCancelled':
        Object.assign(s, { phase: 'cancelled', cancelled: e.reason });
        break;
    }
  }
  return s;
}

export function isFinal(phase: Phase): boolean {
  return phase === 'completed' || phase === 'failed' || phase === 'cancelled';
}

/** Bars best first: bids by confidence, then agents that did not bid, each group by name. */
export function ranked(bids: readonly BarBid[]): BarBid[] {
  return [...bids].sort((a, b) => {
    const ca = a.outcome === 'bid' ? (a.confidence ?? 0) : -1;
    const cb = b.outcome === 'bid' ? (b.confidence ?? 0) : -1;
    return cb - ca || a.outcome.localeCompare(b.outcome) || a.name.localeCompare(b.name);
  });
}
