/**
 * One-dimensional PostgreSQL arrays in the binary wire format, for statement
 * parameters (`pg` sends a Buffer parameter as binary). A many-row insert sends one such
 * array per column and `unnest`s them: the server then copies bytes per value instead of
 * parsing text, and floats cross exactly, bit for bit. On the embedded database, where
 * PostgreSQL runs as WebAssembly, parsing 201 bids' numbers and ids from text cost more
 * than inserting them.
 *
 * Format (PostgreSQL's array_recv): ndim, has-nulls flag, element type OID, then per
 * dimension its length and lower bound, then per element its byte length (-1 for null)
 * and its bytes in the element type's own binary format.
 */
export type ArrayElement = 'uuid' | 'text' | 'float8' | 'int4' | 'bool';

const ELEMENTS: Record<ArrayElement, { oid: number; size: (v: never) => number; write: (buf: Buffer, v: never, at: number) => void }> = {
  uuid: { oid: 2950, size: () => 16, write: (buf, v: string, at) => void buf.write(v.replaceAll('-', ''), at, 16, 'hex') },
  // PostgreSQL text cannot hold NUL; an agent's text is stored without it rather than refused.
  text: { oid: 25, size: (v: string) => Buffer.byteLength(clean(v)), write: (buf, v: string, at) => void buf.write(clean(v), at) },
  float8: { oid: 701, size: () => 8, write: (buf, v: number, at) => void buf.writeDoubleBE(v, at) },
  int4: { oid: 23, size: () => 4, write: (buf, v: number, at) => void buf.writeInt32BE(v, at) },
  bool: { oid: 16, size: () => 1, write: (buf, v: boolean, at) => void buf.writeUInt8(v ? 1 : 0, at) },
};

const HEADER_BYTES = 20;

export function binaryArray(type: ArrayElement, values: ReadonlyArray<unknown>): Buffer {
  const element = ELEMENTS[type];
  const sizes = values.map((v) => (v === null || v === undefined ? -1 : element.size(v as never)));
  const total = HEADER_BYTES + sizes.reduce((sum, size) => sum + 4 + Math.max(size, 0), 0);
  const buf = Buffer.allocUnsafe(total);
  buf.writeInt32BE(1, 0); // one dimension
  buf.writeInt32BE(sizes.includes(-1) ? 1 : 0, 4);
  buf.writeInt32BE(element.oid, 8);
  buf.writeInt32BE(values.length, 12);
  buf.writeInt32BE(1, 16); // lower bound
  let at = HEADER_BYTES;
  for (const [i, size] of sizes.entries()) {
    buf.writeInt32BE(size, at);
    at += 4;
    if (size < 0) continue;
    element.write(buf, values[i] as never, at);
    at += size;
  }
  return buf;
}

function clean(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}
