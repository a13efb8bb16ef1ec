// Strips the Authenticode signature of a PE executable: once the SEA blob is injected it would no longer match.
const SECURITY_DIRECTORY = 4;

export function removePeSignature(file) {
  const pe = file.readUInt32LE(0x3c);
  const optional = pe + 24;
  const magic = file.readUInt16LE(optional);
  // Data directories start 96 bytes into a PE32 optional header, 112 into a PE32+ one.
  const directories = optional + (magic === 0x20b ? 112 : 96);
  const entry = directories + SECURITY_DIRECTORY * 8;
  const offset = file.readUInt32LE(entry);
  const size = file.readUInt32LE(entry + 4);
  if (offset === 0 || size === 0) {
    return file;
  }
  if (offset + size !== file.length) {
    throw new Error('the Authenticode certificate table is not at the end of the file');
  }
  const out = Buffer.from(file.subarray(0, offset));
  out.writeUInt32LE(0, entry);
  out.writeUInt32LE(0, entry + 4);
  return out;
}
