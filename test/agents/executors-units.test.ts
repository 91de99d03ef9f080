import { describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, withDeadline } from '../../src/modules/agents/executors/deadline.js';
import { signAgentRequest, verifyAgentSignature } from '../../src/modules/agents/executors/signing.js';
import { countTokens } from '../../src/modules/agents/executors/tokens.js';

describe('agent call signatures', () => {
  const body = '{"call":"bid","intent_id":"1","text":"héllo","domain":null,"deadline_ms":1}';
  const now = 1_700_000_000;

  it('verify what was signed, over the raw bytes as well as the string', () => {
    const signature = signAgentRequest('secret', body, now);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyAgentSignature('secret', body, String(now), signature, now)).toBe(true);
    expect(verifyAgentSignature('secret', Buffer.from(body), String(now), signature, now)).toBe(true);
  });

  it('refuse another secret, another body, a missing header or a timestamp more than 5 minutes off', () => {
    const signature = signAgentRequest('secret', body, now);
    expect(verifyAgentSignature('other', body, String(now), signature, now)).toBe(false);
    expect(verifyAgentSignature('secret', `${body} `, String(now), signature, now)).toBe(false);
    expect(verifyAgentSignature('secret', body, undefined, signature, now)).toBe(false);
    expect(verifyAgentSignature('secret', body, String(now), undefined, now)).toBe(false);
    expect(verifyAgentSignature('secret', body, String(now), signature, now + 300)).toBe(true);
    expect(verifyAgentSignature('secret', body, String(now), signature, now + 301)).toBe(false);
    expect(verifyAgentSignature('secret', body, String(now), signature, now - 301)).toBe(false);
    expect(verifyAgentSignature('secret', body, `${now}.5`, signature, now)).toBe(false);
  });

  it('accept any of several signatures, so a secret can be rotated, and never throw on junk', () => {
    const both = `${signAgentRequest('old', body, now)}, ${signAgentRequest('new', body, now)}`;
    expect(verifyAgentSignature('new', body, String(now), both, now)).toBe(true);
    expect(verifyAgentSignature('old', body, String(now), both, now)).toBe(true);
    expect(verifyAgentSignature('secret', body, String(now), 'v1=é'.padEnd(67, 'é'), now)).toBe(false);
  });
});

describe('deadlines', () => {
  it('do not start a call whose deadline has passed', async () => {
    const fn = vi.fn(() => Promise.resolve('ran'));
    await expect(withDeadline(new AbortController().signal, Date.now() - 1, 'agent', fn)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(fn).not.toHaveBeenCalled();
  });

  it('leave a call with no real deadline alone', async () => {
    await expect(withDeadline(new AbortController().signal, Number.POSITIVE_INFINITY, 'agent', () => Promise.resolve('ran'))).resolves.toBe('ran');
  });
});

describe('token counting', () => {
  it('counts o200k tokens, and treats special-token text in an intent as plain text', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('ignore <|endoftext|> this')).toBeGreaterThan(3);
  });
});
