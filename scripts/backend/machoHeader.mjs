// Reads the header, load commands, segments and sections of a 64-bit little-endian Mach-O file.
export const MH_MAGIC_64 = 0xfeedfacf;
export const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;
export const CPU_TYPE_X86_64 = 0x01000007;
export const CPU_TYPE_ARM64 = 0x0100000c;

const HEADER_SIZE = 32;
const SEGMENT_COMMAND_SIZE = 72;
const SECTION_SIZE = 80;

const name16 = (file, at) => file.toString('latin1', at, at + 16).replace(/\0.*$/s, '');

export function readMachO(file) {
  if (file.length < HEADER_SIZE || file.readUInt32LE(0) !== MH_MAGIC_64) {
    throw new Error('not a 64-bit little-endian Mach-O file');
  }
  const ncmds = file.readUInt32LE(16);
  const sizeofcmds = file.readUInt32LE(20);
  const commands = [];
  const segments = [];
  let at = HEADER_SIZE;
  for (let i = 0; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const cmdsize = file.readUInt32LE(at + 4);
    if (cmdsize < 8 || at + cmdsize > HEADER_SIZE + sizeofcmds) {
      throw new Error(`load command ${i} is malformed (size ${cmdsize})`);
    }
    commands.push({ cmd, cmdsize, offset: at });
    if (cmd === LC_SEGMENT_64) {
      segments.push(readSegment(file, at));
    }
    at += cmdsize;
  }
  const fileSections = segments.flatMap((s) => s.sections).filter((s) => s.offset > 0 && s.size > 0n);
  return {
    cputype: file.readUInt32LE(4),
    filetype: file.readUInt32LE(12),
    ncmds,
    sizeofcmds,
    headerSize: HEADER_SIZE,
    commands,
    segments,
    firstSectionOffset: Math.min(...fileSections.map((s) => s.offset)),
    segment: (name) => segments.find((s) => s.name === name),
  };
}

function readSegment(file, at) {
  const nsects = file.readUInt32LE(at + 64);
  const sections = [];
  for (let i = 0; i < nsects; i++) {
    const s = at + SEGMENT_COMMAND_SIZE + i * SECTION_SIZE;
    sections.push({
      name: name16(file, s),
      size: file.readBigUInt64LE(s + 40),
      offset: file.readUInt32LE(s + 48),
    });
  }
  return {
    offset: at,
    name: name16(file, at + 8),
    vmsize: file.readBigUInt64LE(at + 32),
    fileoff: file.readBigUInt64LE(at + 40),
    filesize: file.readBigUInt64LE(at + 48),
    sections,
  };
}
