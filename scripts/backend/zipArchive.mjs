// Writes a zip archive (deflate, Unix modes kept so executables stay executable) without any system zip tool.
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

const DEFLATE = 8;
const VERSION_NEEDED = 20;
const MADE_BY_UNIX = (3 << 8) | 20;

/**
 * @param {string} output the zip file to write
 * @param {Array<{ path: string, name: string }>} entries files on disk and their names inside the archive
 */
export function writeZip(output, entries) {
  const fd = openSync(output, 'w');
  const central = [];
  let offset = 0;
  const write = (buffer) => {
    writeSync(fd, buffer);
    offset += buffer.length;
  };
  try {
    for (const entry of entries) {
      const data = readFileSync(entry.path);
      const compressed = deflateRawSync(data);
      const name = Buffer.from(entry.name, 'utf8');
      const crc = crc32(data);
      const { mode, mtime } = statSync(entry.path);
      const dos = dosTime(mtime);
      if (offset > 0xffffffff || data.length > 0xffffffff) {
        throw new Error(`${entry.name}: the archive would need zip64, which this writer does not produce`);
      }
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(VERSION_NEEDED, 4);
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(DEFLATE, 8);
      local.writeUInt32LE(dos, 10);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(MADE_BY_UNIX, 4);
      header.writeUInt16LE(VERSION_NEEDED, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(DEFLATE, 10);
      header.writeUInt32LE(dos, 12);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(compressed.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(((mode & 0o777) | 0o100000) * 0x10000, 38);
      header.writeUInt32LE(offset, 42);
      central.push(Buffer.concat([header, name]));
      write(local);
      write(name);
      write(compressed);
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(central.length, 8);
    end.writeUInt16LE(central.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    write(directory);
    write(end);
  } finally {
    closeSync(fd);
  }
}

function dosTime(date) {
  const year = Math.max(date.getFullYear(), 1980) - 1980;
  return (
    ((year << 25) |
      ((date.getMonth() + 1) << 21) |
      (date.getDate() << 16) |
      (date.getHours() << 11) |
      (date.getMinutes() << 5) |
      (date.getSeconds() >> 1)) >>>
    0
  );
}
