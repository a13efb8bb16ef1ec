import fc from 'fast-check';
import type { NetworkEvent } from '../../model/events';
import { spanBatchOf } from '../clients/spanBatch';
import type { Span } from '../clients/tempoSpan';
import { eventEnd, forEachPodOverlap } from './podOverlap';
import { buildDrop, buildSpan } from '../testkit/joinBuilders';

const pods = ['a', 'b'];

function pairs(events: NetworkEvent[], spans: Span[], slackUs: number): string[] {
  const out: string[] = [];
  forEachPodOverlap(events, spanBatchOf(spans), { slackUs, eventKinds: ['drop'] }, (e, s) => out.push(`${e}:${s}`));
  return out.sort();
}

function bruteForce(events: NetworkEvent[], spans: Span[], slackUs: number): string[] {
  const out: string[] = [];
  events.forEach((e, i) =>
    spans.forEach((s, k) => {
      const samePod = s.resource['k8s.pod.name'] === e.src.pod;
      if (samePod && s.startUs - slackUs <= eventEnd(e) && s.endUs + slackUs >= e.time) {
        out.push(`${i}:${k}`);
      }
    })
  );
  return out.sort();
}

describe('forEachPodOverlap', () => {
  // Enough events per pod for many buckets, some long enough to take the long-event path, spans long and short.
  const span = fc
    .tuple(fc.constantFrom(...pods), fc.nat(100_000), fc.oneof(fc.nat(2_000), fc.nat(100_000)))
    .map(([pod, start, length]) => buildSpan({ pod, startUs: start, endUs: start + length }));
  const event = fc
    .tuple(fc.constantFrom(...pods), fc.nat(110_000), fc.oneof(fc.constant(0), fc.nat(2_000), fc.nat(100_000)))
    .map(([pod, time, length]) =>
      buildDrop(time, { ip: '10.0.0.1', pod }, { ip: '10.0.0.2' }, { endTime: time + length })
    );

  it('reports exactly the overlapping same-pod pairs, each once, across buckets and long events', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 40 }),
        fc.array(span, { minLength: 50, maxLength: 400 }),
        fc.nat(3_000),
        (events, spans, slack) => {
          expect(pairs(events, spans, slack)).toEqual(bruteForce(events, spans, slack));
        }
      ),
      { numRuns: 150 }
    );
  });

  it('handles spans that all start at one instant and events outside every span', () => {
    const spans = [buildSpan({ pod: 'a', startUs: 10, endUs: 10 }), buildSpan({ pod: 'a', startUs: 10, endUs: 10 })];
    const events = [
      buildDrop(10, { ip: '1', pod: 'a' }, { ip: '2' }),
      buildDrop(500, { ip: '1', pod: 'a' }, { ip: '2' }),
    ];
    expect(pairs(events, spans, 0)).toEqual(['0:0', '0:1']);
  });
});
