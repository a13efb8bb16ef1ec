// Mach-O code signatures: strips the one a Node build ships with and writes an ad-hoc one (SHA-256 page hashes).
// macOS refuses to run unsigned arm64 code, and any signature is broken once the SEA blob is injected.
import { createHash } from 'node:crypto';
import { readMachO, LC_CODE_SIGNATURE, LC_SEGMENT_64 } from './machoHeader.mjs';

const PAGE_SHIFT = 12;
const PAGE_SIZE = 1 << PAGE_SHIFT;
const CSMAGIC_REQUIREMENTS = 0xfade0c01;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_ADHOC = 0x2;
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CD_VERSION_EXECSEG = 0x20400;
const CD_HEADER_SIZE = 88;
const MH_EXECUTE = 2;

export const signatureConstants = {
  CSMAGIC_CODEDIRECTORY,
  CSMAGIC_EMBEDDED_SIGNATURE,
  CSMAGIC_REQUIREMENTS,
  CSSLOT_CODEDIRECTORY,
  CSSLOT_REQUIREMENTS,
  PAGE_SHIFT,
};

const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

/** Returns the file without its code signature (load command removed, signature bytes cut off the end of __LINKEDIT). */
export function removeSignature(file) {
  const macho = readMachO(file);
  const command = macho.commands.find((c) => c.cmd === LC_CODE_SIGNATURE);
  if (!command) {
    return file;
  }
  const out = Buffer.from(file);
  const dataoff = out.readUInt32LE(command.offset + 8);
  const datasize = out.readUInt32LE(command.offset + 12);
  const linkedit = macho.segment('__LINKEDIT');
  if (dataoff + datasize !== file.length || !linkedit) {
    throw new Error('the code signature is not the last thing in __LINKEDIT: this Mach-O layout is not supported');
  }
  // Later load commands move up over the removed one; the freed tail of the header is zeroed.
  const end = macho.headerSize + macho.sizeofcmds;
  out.copy(out, command.offset, command.offset + command.cmdsize, end);
  out.fill(0, end - command.cmdsize, end);
  out.writeUInt32LE(macho.ncmds - 1, 16);
  out.writeUInt32LE(macho.sizeofcmds - command.cmdsize, 20);
  const moved = linkedit.offset > command.offset ? linkedit.offset - command.cmdsize : linkedit.offset;
  out.writeBigUInt64LE(BigInt(dataoff) - linkedit.fileoff, moved + 48);
  return out.subarray(0, dataoff);
}

/** Signs an unsigned Mach-O executable ad hoc, as `codesign --sign -` does: CodeDirectory, empty requirements, no CMS. */
export function signAdHoc(unsigned, identifier) {
  let macho = readMachO(unsigned);
  if (macho.commands.some((c) => c.cmd === LC_CODE_SIGNATURE)) {
    throw new Error('remove the existing code signature first');
  }
  const linkedit = macho.segment('__LINKEDIT');
  const text = macho.segment('__TEXT');
  if (!linkedit || !text || linkedit.fileoff + linkedit.filesize !== BigInt(unsigned.length)) {
    throw new Error('__LINKEDIT must be the last segment and end the file to take a signature');
  }
  const headerEnd = macho.headerSize + macho.sizeofcmds;
  if (headerEnd + 16 > macho.firstSectionOffset) {
    throw new Error('no room in the Mach-O header for the code signature load command');
  }
  // The signature starts 16-byte aligned; everything before it is hashed.
  const codeLimit = Math.ceil(unsigned.length / 16) * 16;
  const requirements = blob(CSMAGIC_REQUIREMENTS, Buffer.alloc(4));
  const cmsWrapper = blob(CSMAGIC_BLOBWRAPPER, Buffer.alloc(0));
  const ident = Buffer.from(`${identifier}\0`, 'utf8');
  const nCodeSlots = Math.ceil(codeLimit / PAGE_SIZE);
  const nSpecialSlots = 2;
  const cdLength = CD_HEADER_SIZE + ident.length + (nSpecialSlots + nCodeSlots) * 32;
  const superLength = 12 + 3 * 8 + cdLength + requirements.length + cmsWrapper.length;
  const signatureSize = Math.ceil(superLength / 16) * 16;

  const out = Buffer.alloc(codeLimit + signatureSize);
  unsigned.copy(out);
  out.writeUInt32LE(LC_CODE_SIGNATURE, headerEnd);
  out.writeUInt32LE(16, headerEnd + 4);
  out.writeUInt32LE(codeLimit, headerEnd + 8);
  out.writeUInt32LE(signatureSize, headerEnd + 12);
  out.writeUInt32LE(macho.ncmds + 1, 16);
  out.writeUInt32LE(macho.sizeofcmds + 16, 20);
  const linkeditSize = BigInt(out.length) - linkedit.fileoff;
  out.writeBigUInt64LE(linkeditSize, linkedit.offset + 48);
  const vmPage = 0x4000n;
  const vmsize = ((linkeditSize + vmPage - 1n) / vmPage) * vmPage;
  if (vmsize > out.readBigUInt64LE(linkedit.offset + 32)) {
    out.writeBigUInt64LE(vmsize, linkedit.offset + 32);
  }
  macho = readMachO(out);

  const cd = Buffer.alloc(cdLength);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(CD_VERSION_EXECSEG, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  const hashOffset = CD_HEADER_SIZE + ident.length + nSpecialSlots * 32;
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(CD_HEADER_SIZE, 20);
  cd.writeUInt32BE(nSpecialSlots, 24);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(32, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(PAGE_SHIFT, 39);
  cd.writeBigUInt64BE(text.fileoff, 64);
  cd.writeBigUInt64BE(text.filesize, 72);
  cd.writeBigUInt64BE(BigInt(macho.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  ident.copy(cd, CD_HEADER_SIZE);
  // Special slot -2 is the requirements blob; slot -1 (Info.plist) stays zero.
  sha256(requirements).copy(cd, hashOffset - CSSLOT_REQUIREMENTS * 32);
  for (let page = 0; page < nCodeSlots; page++) {
    const start = page * PAGE_SIZE;
    sha256(out.subarray(start, Math.min(start + PAGE_SIZE, codeLimit))).copy(cd, hashOffset + page * 32);
  }

  const superBlob = out.subarray(codeLimit);
  superBlob.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  superBlob.writeUInt32BE(superLength, 4);
  superBlob.writeUInt32BE(3, 8);
  let at = 12 + 3 * 8;
  [
    [CSSLOT_CODEDIRECTORY, cd],
    [CSSLOT_REQUIREMENTS, requirements],
    [CSSLOT_SIGNATURESLOT, cmsWrapper],
  ].forEach(([slot, bytes], i) => {
    superBlob.writeUInt32BE(slot, 12 + i * 8);
    superBlob.writeUInt32BE(at, 16 + i * 8);
    bytes.copy(superBlob, at);
    at += bytes.length;
  });
  return out;
}

function blob(magic, payload) {
  const out = Buffer.alloc(8 + payload.length);
  out.writeUInt32BE(magic, 0);
  out.writeUInt32BE(out.length, 4);
  payload.copy(out, 8);
  return out;
}

export { LC_SEGMENT_64 };
