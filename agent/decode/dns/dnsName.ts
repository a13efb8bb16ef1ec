// Domain names in DNS wire format, with compression pointers followed under a loop guard.

// RFC 1035: a name is at most 255 octets; more jumps than labels can only be a loop.
const MAX_NAME_OCTETS = 255;
const MAX_POINTER_JUMPS = 64;

export interface NameRead {
  name: string;
  // Offset just after the name where it appears (after the first pointer, if any).
  next: number;
}

// Returns a reason string instead of a name when the bytes cannot be a name.
export function readDnsName(msg: Uint8Array, offset: number): NameRead | string {
  let o = offset;
  let next = -1;
  let jumps = 0;
  let octets = 0;
  let name = '';
  for (;;) {
    if (o >= msg.length) {
      return `name at byte ${offset} runs past the message`;
    }
    const length = msg[o];
    if (length === 0) {
      o++;
      break;
    }
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (o + 1 >= msg.length) {
        return `compression pointer at byte ${o} is cut`;
      }
      if (++jumps > MAX_POINTER_JUMPS) {
        return `compression pointers loop at byte ${o}`;
      }
      if (next < 0) {
        next = o + 2;
      }
      o = ((length & 0x3f) << 8) | msg[o + 1];
      continue;
    }
    if (kind !== 0) {
      return `unsupported label type 0x${kind.toString(16)} at byte ${o}`;
    }
    if (o + 1 + length > msg.length) {
      return `label at byte ${o} runs past the message`;
    }
    octets += length + 1;
    if (octets > MAX_NAME_OCTETS) {
      return `name at byte ${offset} is longer than 255 octets`;
    }
    if (name.length > 0) {
      name += '.';
    }
    name += labelText(msg, o + 1, length);
    o += 1 + length;
  }
  return { name: name.length === 0 ? '.' : name, next: next < 0 ? o : next };
}

// Printable ASCII as is; dots and other bytes escaped the way dig prints them.
function labelText(msg: Uint8Array, start: number, length: number): string {
  let text = '';
  for (let i = start; i < start + length; i++) {
    const c = msg[i];
    if (c === 0x2e || c === 0x5c) {
      text += '\\' + String.fromCharCode(c);
    } else if (c > 0x20 && c < 0x7f) {
      text += String.fromCharCode(c);
    } else {
      text += '\\' + c.toString().padStart(3, '0');
    }
  }
  return text;
}
