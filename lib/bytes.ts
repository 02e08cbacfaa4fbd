/** One Uint8Array holding `parts` back to back (chunks of a download, weight buffers). The one place bytes are concatenated. */
export function concatBytes(parts: readonly ArrayBufferView[]): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset);
    offset += p.byteLength;
  }
  return out;
}
