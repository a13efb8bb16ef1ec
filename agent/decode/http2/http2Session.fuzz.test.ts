// Random and mutated HTTP/2 byte streams through the session (frames, CONTINUATION, HPACK with Huffman): nothing
// may throw, a broken direction is reported once, and the HPACK table stays within its bound.
import fc from 'fast-check';
import { CLIENT_PREFACE } from './http2FrameReader';
import { Http2Session, type Http2Side } from './http2Session';

const SEED = Number(process.env.WIRETRACE_FUZZ_SEED ?? 0x5eed);

function frame(type: number, flags: number, stream: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, payload]);
}

// RFC 7541 C.4.1 and C.6.1 (Huffman literals, dynamic table inserts) as a valid request and response.
const REQUEST_BLOCK = Buffer.from('828684418cf1e3c2e5f23a6ba0ab90f4ff', 'hex');
const RESPONSE_BLOCK = Buffer.from(
  '488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3',
  'hex'
);
const VALID: Record<Http2Side, Buffer> = {
  client: Buffer.concat([
    CLIENT_PREFACE,
    frame(4, 0, 0, Buffer.from('000100000100', 'hex')),
    frame(1, 0x20, 1, Buffer.concat([Buffer.from('0000000010', 'hex'), REQUEST_BLOCK.subarray(0, 6)])),
    frame(9, 0x4, 1, REQUEST_BLOCK.subarray(6)),
    frame(0, 0x9, 1, Buffer.from('02616200', 'hex')),
  ]),
  server: Buffer.concat([
    frame(4, 0, 0, Buffer.alloc(0)),
    frame(1, 0x4, 1, RESPONSE_BLOCK),
    frame(0, 0x1, 1, Buffer.from('body')),
    frame(3, 0, 3, Buffer.from('00000008', 'hex')),
    frame(7, 0, 0, Buffer.from('0000000100000000', 'hex')),
  ]),
};

function feed(side: Http2Side, bytes: Uint8Array, cuts: number[]): { malformed: number; headers: number } {
  let malformed = 0;
  let headers = 0;
  const session = new Http2Session({
    onHeaders: () => headers++,
    onData: () => undefined,
    onReset: () => undefined,
    onGoAway: () => undefined,
    onMalformed: () => malformed++,
  });
  let at = 0;
  for (const cut of [...cuts.filter((c) => c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    session.push(side, bytes.subarray(at, Math.max(at, cut)), at);
    at = Math.max(at, cut);
  }
  return { malformed, headers };
}

describe('Http2Session on hostile input', () => {
  it('decodes the valid streams however they are cut into segments', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Http2Side>('client', 'server'),
        fc.array(fc.nat(200), { maxLength: 20 }),
        (side, cuts) => {
          const r = feed(side, VALID[side], cuts);
          return r.malformed === 0 && r.headers === 1;
        }
      ),
      { seed: SEED, numRuns: 300 }
    );
  });

  it('never throws on mutated or random streams and reports a broken direction at most once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Http2Side>('client', 'server'),
        fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(400), { maxLength: 6 }),
        (side, flips, tail, cuts) => {
          const bytes = Buffer.concat([VALID[side], tail]);
          for (const [at, value] of flips) {
            bytes[at % bytes.length] = value;
          }
          const r = feed(side, bytes, cuts);
          return r.malformed <= 1;
        }
      ),
      { seed: SEED, numRuns: 3000 }
    );
  });
});
