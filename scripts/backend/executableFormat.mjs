// Reads what an executable is from its own header (ELF, Mach-O or PE and the CPU it is for), finds the injected
// SEA blob, and checks a Mach-O ad-hoc signature by recomputing its page hashes.
import { createHash } from 'node:crypto';
import { CPU_TYPE_ARM64, CPU_TYPE_X86_64, LC_CODE_SIGNATURE, MH_MAGIC_64, readMachO } from './machoHeader.mjs';
import { signatureConstants } from './machoSignature.mjs';

export const SEA_RESOURCE = 'NODE_SEA_BLOB';
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const SEA_BLOB_MAGIC = 0x0143da20;

const ELF_MACHINES = { 62: 'amd64', 183: 'arm64' };
const MACHO_CPUS = { [CPU_TYPE_X86_64]: 'amd64', [CPU_TYPE_ARM64]: 'arm64' };
const PE_MACHINES = { 0x8664: 'amd64', 0xaa64: 'arm64' };

/** The executable format and CPU architecture an executable's header declares. */
export function executableKind(file) {
  if (file.length >= 20 && file.readUInt32BE(0) === 0x7f454c46) {
    // 64-bit little-endian ELF: e_machine at 18.
    return {
      format: 'elf',
      os: 'linux',
      arch: ELF_MACHINES[file.readUInt16LE(18)] ?? `e_machine ${file.readUInt16LE(18)}`,
    };
  }
  if (file.length >= 8 && file.readUInt32LE(0) === MH_MAGIC_64) {
    const cpu = file.readUInt32LE(4);
    return { format: 'macho', os: 'darwin', arch: MACHO_CPUS[cpu] ?? `cputype 0x${cpu.toString(16)}` };
  }
  if (file.length >= 64 && file.toString('latin1', 0, 2) === 'MZ') {
    const pe = file.readUInt32LE(0x3c);
    if (file.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = file.readUInt16LE(pe + 4);
      return { format: 'pe', os: 'windows', arch: PE_MACHINES[machine] ?? `machine 0x${machine.toString(16)}` };
    }
  }
  return { format: 'unknown', os: 'unknown', arch: 'unknown' };
}

/**
 * Problems with the SEA injection, empty when it is there: the fuse flipped, the blob's bytes present (in the
 * NODE_SEA segment for Mach-O) and the resource named as the format names it.
 */
export function seaInjectionProblems(file, blob) {
  const problems = [];
  if (blob.readUInt32LE(0) !== SEA_BLOB_MAGIC) {
    problems.push('the prepared blob does not start with the SEA magic');
  }
  if (file.indexOf(`${SEA_FUSE}:1`) < 0) {
    problems.push('the SEA sentinel fuse is not flipped');
  }
  const { format } = executableKind(file);
  if (format === 'macho') {
    const section = readMachO(file)
      .segment('NODE_SEA')
      ?.sections.find((s) => s.name === `__${SEA_RESOURCE}`);
    if (!section) {
      problems.push(`no NODE_SEA segment with a __${SEA_RESOURCE} section`);
    } else if (!file.subarray(section.offset, section.offset + Number(section.size)).equals(blob)) {
      problems.push(`the __${SEA_RESOURCE} section does not hold the prepared blob`);
    }
    return problems;
  }
  const name = format === 'pe' ? Buffer.from(SEA_RESOURCE, 'utf16le') : Buffer.from(SEA_RESOURCE, 'latin1');
  if (file.indexOf(name) < 0) {
    problems.push(`no resource named ${SEA_RESOURCE}`);
  }
  if (file.indexOf(blob) < 0) {
    problems.push('the prepared blob is not in the executable');
  }
  return problems;
}

/** Problems with a Mach-O ad-hoc signature, empty when every page hash and the layout check out. */
export function adHocSignatureProblems(file) {
  const {
    CSMAGIC_CODEDIRECTORY,
    CSMAGIC_EMBEDDED_SIGNATURE,
    CSMAGIC_REQUIREMENTS,
    CSSLOT_CODEDIRECTORY,
    CSSLOT_REQUIREMENTS,
    PAGE_SHIFT,
  } = signatureConstants;
  const macho = readMachO(file);
  const command = macho.commands.find((c) => c.cmd === LC_CODE_SIGNATURE);
  if (!command) {
    return ['no LC_CODE_SIGNATURE load command'];
  }
  const dataoff = file.readUInt32LE(command.offset + 8);
  const datasize = file.readUInt32LE(command.offset + 12);
  const linkedit = macho.segment('__LINKEDIT');
  const problems = [];
  if (dataoff + datasize !== file.length || !linkedit || linkedit.fileoff + linkedit.filesize !== BigInt(file.length)) {
    problems.push('the signature is not at the end of __LINKEDIT at the end of the file');
  }
  const sig = file.subarray(dataoff, dataoff + datasize);
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    return [...problems, 'the signature is not an embedded-signature SuperBlob'];
  }
  const slots = new Map();
  for (let i = 0; i < sig.readUInt32BE(8); i++) {
    const at = sig.readUInt32BE(16 + i * 8);
    slots.set(sig.readUInt32BE(12 + i * 8), sig.subarray(at, at + sig.readUInt32BE(at + 4)));
  }
  const cd = slots.get(CSSLOT_CODEDIRECTORY);
  if (!cd || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) {
    return [...problems, 'no CodeDirectory'];
  }
  const flags = cd.readUInt32BE(12);
  const hashOffset = cd.readUInt32BE(16);
  const identifier = cd.toString('utf8', cd.readUInt32BE(20), cd.indexOf(0, cd.readUInt32BE(20)));
  const nSpecialSlots = cd.readUInt32BE(24);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  if ((flags & 0x2) === 0) {
    problems.push('the CodeDirectory is not flagged ad hoc');
  }
  if (cd.readUInt8(36) !== 32 || cd.readUInt8(37) !== 2) {
    problems.push('the page hashes are not SHA-256');
  }
  if (cd.readUInt8(39) !== PAGE_SHIFT) {
    problems.push('the page size is not 4096');
  }
  if (codeLimit !== dataoff) {
    problems.push(`codeLimit ${codeLimit} is not the signature offset ${dataoff}`);
  }
  if (nCodeSlots !== Math.ceil(codeLimit / (1 << PAGE_SHIFT))) {
    problems.push('the page count does not cover codeLimit');
  }
  if (!identifier) {
    problems.push('the CodeDirectory has no identifier');
  }
  let badPages = 0;
  for (let page = 0; page < nCodeSlots; page++) {
    const start = page << PAGE_SHIFT;
    const want = cd.subarray(hashOffset + page * 32, hashOffset + page * 32 + 32);
    const got = createHash('sha256')
      .update(file.subarray(start, Math.min(start + (1 << PAGE_SHIFT), codeLimit)))
      .digest();
    badPages += got.equals(want) ? 0 : 1;
  }
  if (badPages > 0) {
    problems.push(`${badPages} of ${nCodeSlots} page hashes do not match`);
  }
  const requirements = slots.get(CSSLOT_REQUIREMENTS);
  if (requirements && nSpecialSlots >= CSSLOT_REQUIREMENTS) {
    const want = cd.subarray(hashOffset - CSSLOT_REQUIREMENTS * 32, hashOffset - (CSSLOT_REQUIREMENTS - 1) * 32);
    if (
      requirements.readUInt32BE(0) !== CSMAGIC_REQUIREMENTS ||
      !createHash('sha256').update(requirements).digest().equals(want)
    ) {
      problems.push('the requirements slot hash does not match');
    }
  }
  return problems;
}
