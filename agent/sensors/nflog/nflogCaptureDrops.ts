// NFLOG frames met in a capture file (`tcpdump -i nflog:5 -w`): the same drops `run`'s NFLOG source reports from
// them — the prefix as the reason, the policy it names as deniedBy, a blocked flow's repeated packets folded.
import type { NetworkEvent } from '../../../model/events';
import type { CapturedFrame } from '../captureFrame';
import { DEFAULT_COALESCER_OPTIONS, NflogDropCoalescer } from './nflogDropCoalescer';
import { NflogDropDecoder, type NflogCounters, type NflogDropOptions } from './nflogDropDecoder';

export class NflogCaptureDrops {
  private readonly decoder: NflogDropDecoder;
  private readonly coalescer: NflogDropCoalescer;

  constructor(onEvent: (event: NetworkEvent) => void, options: NflogDropOptions = {}) {
    this.decoder = new NflogDropDecoder(options);
    this.coalescer = new NflogDropCoalescer(onEvent, DEFAULT_COALESCER_OPTIONS);
  }

  get counters(): NflogCounters {
    return this.decoder.counters;
  }

  frame(frame: CapturedFrame): void {
    const event = this.decoder.decodeFrame(frame);
    if (event) {
      this.coalescer.push(event);
    }
  }

  // End of the capture: every drop still folding is reported.
  finish(): void {
    this.coalescer.flush();
  }
}
