import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, intentKey, rest } from '../helpers/http.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082',
  'hex',
);

let t: TestApp;
let key: string;
let intentId: number;
beforeAll(async () => {
  t = await startTestApp({ GAVEL_FILE_QUOTA_BYTES: String(12 * 1024 * 1024) });
  key = await intentKey(t, 'files-co', 'pro');
  intentId = (await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 17% of 2,340?' } })).body.id;
});
afterAll(() => t?.stop());

const save = (body: Record<string, unknown>, k = key) => rest(t.url, 'POST', '/api/files', { key: k, body: { intent_id: intentId, ...body } });

describe('files', () => {
  it('saves a file and serves its exact bytes at the signed URL for 30 days, without a key', async () => {
    const content = Buffer.from('name,total\nacme,397.8\n');
    const res = await save({ filename: 'report.csv', content: content.toString('base64'), mime_type: 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      file_id: expect.stringMatching(/^f_[A-Za-z0-9]{16}$/),
      bytes: content.length,
      filename: 'report.csv',
      mime_type: 'text/csv',
    });
    const days = (Date.parse(res.body.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(res.body.url).toMatch(new RegExp(`^${t.url}/files/${res.body.file_id}/report\\.csv\\?expires=\\d+&sig=[0-9a-f]{64}$`));
    const download = await fetch(res.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);
    // GraphQL lists it on the intent with a fresh URL.
    const listed = await gql(t.url, 'query($id: ID!) { intent(id: $id) { files { fileId bytes url } } }', { id: String(intentId) }, key);
    expect(listed.body.data.intent.files).toContainEqual(expect.objectContaining({ fileId: res.body.file_id, bytes: content.length }));
  });

  it('detects the MIME type from the content when it is omitted, and serves active types as downloads', async () => {
    const png = await save({ filename: 'chart.png', content: PNG.toString('base64') });
    expect(png.body.mime_type).toBe('image/png');
    const misnamed = await save({ filename: 'not-really.txt', content: PNG.toString('base64') });
    expect(misnamed.body.mime_type).toBe('image/png');
    const html = await save({ filename: 'page.html', content: Buffer.from('<script>alert(1)</script>').toString('base64') });
    expect(html.body.mime_type).toBe('text/html');
    const served = await fetch(html.body.url);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    const unknown = await save({ filename: 'blob', content: Buffer.from([1, 2, 3, 4]).toString('base64') });
    expect(unknown.body.mime_type).toBe('application/octet-stream');
  });

  it('sanitises file names', async () => {
    for (const [given, stored] of [
      ['../../etc/passwd', 'passwd'],
      ['C:\\\\Users\\\\me\\\\notes.txt', 'notes.txt'],
      ['  .hidden  ', 'hidden'],
      ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
      ['line\nbreak\u0000.txt', 'linebreak.txt'],
      [`${'x'.repeat(300)}.pdf`, `${'x'.repeat(251)}.pdf`],
    ]) {
      const res = await save({ filename: given, content: 'aGk=' });
      expect(res.status, given).toBe(201);
      expect(res.body.filename, given).toBe(stored);
    }
    for (const bad of ['', '..', '/', '\u0000']) {
      expect((await save({ filename: bad, content: 'aGk=' })).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('refuses malformed base64, an 11 MB file and a bad MIME type with clear errors, storing nothing', async () => {
    const before = (await rest(t.url, 'GET', '/api/files/usage', { key })).body.total_files;
    for (const content of ['aGk', 'aGk=\n', 'a Gk=', 'aGl=', '!!!!', 'aGk=aGk=', '']) {
      const res = await save({ filename: 'x.txt', content });
      expect(res.status, JSON.stringify(content)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await save({ filename: 'x.txt', content: 'aGk=', mime_type: 'not a type' })).status).toBe(400);
    const big = await save({ filename: 'big.bin', content: Buffer.alloc(11 * 1024 * 1024, 7).toString('base64') });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect((await rest(t.url, 'GET', '/api/files/usage', { key })).body.total_files).toBe(before);
  });

  it('keeps within the storage quota', async () => {
    const k = await intentKey(t, 'files-quota', 'pro');
    const id = (await rest(t.url, 'POST', '/api/intents?wait=false', { key: k, body: { text: 'What is 1 + 1?' } })).body.id;
    const nineMb = Buffer.alloc(9 * 1024 * 1024, 1).toString('base64');
    expect((await save({ intent_id: id, filename: 'a.bin', content: nineMb }, k)).status).toBe(201);
    const over = await save({ intent_id: id, filename: 'b.bin', content: nineMb }, k);
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('storage_quota_exceeded');
  });

  it('refuses a tampered, expired or foreign signature with 403, and another tenant’s intent with 404', async () => {
    const res = await save({ filename: 'secret.txt', content: Buffer.from('top secret').toString('base64') });
    const url = new URL(res.body.url);
    const sig = url.searchParams.get('sig')!;
    const tampered = new URL(url);
    tampered.searchParams.set('sig', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    const extended = new URL(url);
    extended.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1));
    const expired = new URL(url);
    expired.searchParams.set('expires', '1000000000');
    const other = await save({ filename: 'other.txt', content: 'aGk=' });
    const swapped = new URL(url);
    swapped.pathname = new URL(other.body.url).pathname; // another file's path with this file's signature
    const unsigned = new URL(url);
    unsigned.search = '';
    for (const u of [tampered, extended, expired, swapped, unsigned]) {
      const r = await fetch(u);
      expect(r.status, u.toString()).toBe(403);
      expect((await r.json()).error.code).toBe('forbidden');
    }
    const stranger = await intentKey(t, 'files-stranger', 'pro');
    const theirs = await save({ filename: 'x.txt', content: 'aGk=' }, stranger);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('not_found');
  });

  it('reports usage in the documented shape, per tenant', async () => {
    const k = await intentKey(t, 'files-usage', 'pro');
    const id = (await rest(t.url, 'POST', '/api/intents?wait=false', { key: k, body: { text: 'What is 2 + 2?' } })).body.id;
    await save({ intent_id: id, filename: 'out.txt', content: Buffer.alloc(1000).toString('base64') }, k);
    await save({ intent_id: id, filename: 'out2.txt', content: Buffer.alloc(500).toString('base64') }, k);
    await rest(t.url, 'POST', '/api/files', {
      key: k,
      body: { intent_id: id, filename: 'in.txt', content: Buffer.alloc(24).toString('base64'), kind: 'input' },
    });
    const usage = await rest(t.url, 'GET', '/api/files/usage', { key: k });
    expect(usage.body).toEqual({
      total_bytes: 1524,
      total_files: 3,
      breakdown: { output: { bytes: 1500, count: 2 }, input: { bytes: 24, count: 1 } },
      quota_bytes: 12 * 1024 * 1024,
      quota_used_pct: Math.round((1524 / (12 * 1024 * 1024)) * 10_000) / 100,
    });
  });
});
