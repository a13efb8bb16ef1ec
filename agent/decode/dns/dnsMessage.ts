// DNS messages (RFC 1035) from a UDP payload or one TCP-framed message. Never throws: bad bytes give a reason.
import { formatIpv6 } from '../ipAddress';
import { dnsRcodeName } from '../../../model/dnsRcode';
import { dnsOpcodeName, dnsTypeName, DNS_TYPE } from './dnsCodes';
import { readDnsName } from './dnsName';

export interface DnsQuestion {
  name: string;
  type: number;
  typeName: string;
  qclass: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  typeName: string;
  ttl: number;
  // The record data as text for A, AAAA, CNAME, NS, PTR, SRV, MX and TXT; undefined for other types.
  data?: string;
}

export interface DnsMessage {
  id: number;
  isResponse: boolean;
  opcode: string;
  rcode: string;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorityCount: number;
  additionalCount: number;
  // Set when the header and questions parsed but the answer section was cut or bad: answers holds those before it.
  incomplete?: string;
}

export type DnsParseResult = { ok: true; message: DnsMessage } | { ok: false; error: string };

const HEADER = 12;
// More questions than this in one message is not DNS traffic anyone sends.
const MAX_QUESTIONS = 16;

export function parseDnsMessage(msg: Uint8Array): DnsParseResult {
  if (msg.length < HEADER) {
    return { ok: false, error: `DNS message is ${msg.length} bytes, shorter than its 12-byte header` };
  }
  const flags = (msg[2] << 8) | msg[3];
  const qdCount = (msg[4] << 8) | msg[5];
  const anCount = (msg[6] << 8) | msg[7];
  if (qdCount > MAX_QUESTIONS) {
    return { ok: false, error: `DNS header claims ${qdCount} questions` };
  }
  const message: DnsMessage = {
    id: (msg[0] << 8) | msg[1],
    isResponse: (flags & 0x8000) !== 0,
    opcode: dnsOpcodeName((flags >> 11) & 0x0f),
    rcode: dnsRcodeName(flags & 0x0f),
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    questions: [],
    answers: [],
    authorityCount: (msg[8] << 8) | msg[9],
    additionalCount: (msg[10] << 8) | msg[11],
  };
  let o = HEADER;
  for (let i = 0; i < qdCount; i++) {
    const read = readDnsName(msg, o);
    if (typeof read === 'string') {
      return { ok: false, error: `question ${i + 1}: ${read}` };
    }
    if (read.next + 4 > msg.length) {
      return { ok: false, error: `question ${i + 1} is cut after its name` };
    }
    const type = (msg[read.next] << 8) | msg[read.next + 1];
    message.questions.push({
      name: read.name,
      type,
      typeName: dnsTypeName(type),
      qclass: (msg[read.next + 2] << 8) | msg[read.next + 3],
    });
    o = read.next + 4;
  }
  for (let i = 0; i < anCount; i++) {
    const read = readDnsName(msg, o);
    if (typeof read === 'string') {
      message.incomplete = `answer ${i + 1}: ${read}`;
      break;
    }
    const r = read.next;
    if (r + 10 > msg.length) {
      message.incomplete = `answer ${i + 1} is cut in its fixed fields`;
      break;
    }
    const type = (msg[r] << 8) | msg[r + 1];
    const ttl = ((msg[r + 4] << 24) | (msg[r + 5] << 16) | (msg[r + 6] << 8) | msg[r + 7]) >>> 0;
    const rdLength = (msg[r + 8] << 8) | msg[r + 9];
    const rdata = r + 10;
    if (rdata + rdLength > msg.length) {
      message.incomplete = `answer ${i + 1} data is cut (${msg.length - rdata} of ${rdLength} bytes)`;
      break;
    }
    message.answers.push({
      name: read.name,
      type,
      typeName: dnsTypeName(type),
      ttl,
      data: recordData(msg, type, rdata, rdLength),
    });
    o = rdata + rdLength;
  }
  return { ok: true, message };
}

function nameAt(msg: Uint8Array, offset: number): string | undefined {
  const read = readDnsName(msg, offset);
  return typeof read === 'string' ? undefined : read.name;
}

function recordData(msg: Uint8Array, type: number, o: number, length: number): string | undefined {
  switch (type) {
    case DNS_TYPE.A:
      return length === 4 ? `${msg[o]}.${msg[o + 1]}.${msg[o + 2]}.${msg[o + 3]}` : undefined;
    case DNS_TYPE.AAAA:
      return length === 16 ? formatIpv6(msg, o) : undefined;
    case DNS_TYPE.CNAME:
    case DNS_TYPE.NS:
    case DNS_TYPE.PTR:
      return nameAt(msg, o);
    case DNS_TYPE.MX: {
      const exchange = length > 2 ? nameAt(msg, o + 2) : undefined;
      return exchange === undefined ? undefined : `${(msg[o] << 8) | msg[o + 1]} ${exchange}`;
    }
    case DNS_TYPE.SRV: {
      const target = length > 6 ? nameAt(msg, o + 6) : undefined;
      if (target === undefined) {
        return undefined;
      }
      const priority = (msg[o] << 8) | msg[o + 1];
      const weight = (msg[o + 2] << 8) | msg[o + 3];
      const port = (msg[o + 4] << 8) | msg[o + 5];
      return `${priority} ${weight} ${port} ${target}`;
    }
    case DNS_TYPE.TXT:
      return txtData(msg, o, length);
    default:
      return undefined;
  }
}

function txtData(msg: Uint8Array, o: number, length: number): string | undefined {
  const parts: string[] = [];
  const end = o + length;
  while (o < end) {
    const n = msg[o];
    if (o + 1 + n > end) {
      return undefined;
    }
    parts.push(Buffer.from(msg.buffer, msg.byteOffset + o + 1, n).toString('latin1'));
    o += 1 + n;
  }
  return parts.join('');
}

// The strings an event shows for an answer section: record data where rendered, else the type name.
export function dnsAnswerTexts(message: DnsMessage): string[] {
  return message.answers.filter((a) => a.type !== DNS_TYPE.OPT).map((a) => a.data ?? a.typeName);
}
