// The little of the wasm binary format the build tools read and write: LEB128 integers and the
// module's sections (`[id, size, content]` after the 8-byte header).

/** The unsigned LEB128 integer at `at` in `bytes`, and where it ends. */
export function readLeb(bytes, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** `value` as unsigned LEB128 bytes. */
export function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/** The module's sections in order, each `{ id, bytes }` (its content, a view into `wasm`). */
export function sections(wasm) {
  const found = [];
  for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    found.push({ id, bytes: wasm.subarray(start, start + size) });
    at = start + size;
  }
  return found;
}
