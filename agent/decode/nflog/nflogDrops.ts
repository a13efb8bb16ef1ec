// NFLOG frames, from a live group or met in a capture file (`tcpdump -i nflog:5 -w`), as the drops they log: the
// prefix as the reason, the policy it names as deniedBy, a blocked flow's repeated packets folded into one drop.
import type { NetworkEvent } from '../../../model/events';
import type { CapturedFrame } from '../../sensors/captureFrame';
import { DEFAULT_COALESCER_OPTIONS, NflogDropCoalescer } from './nflogDropCoalescer';
import { NflogDropDecoder, type NflogCounters, type NflogDropOptions } from './nflogDropDecoder';

export interface NflogDropsOptions extends NflogDropOptions {
  // Packets of one blocked flow this close together become one drop with `attempts`; 0 reports every packet.
  coalesceMs?: number;
}

export class NflogDrops {
  private readonly decoder: NflogDropDecoder;
  private readonly coalescer: NflogDropCoalescer | undefined;

  constructor(
    private readonly onEvent: (event: NetworkEvent) => void,
    options: NflogDropsOptions = {}
  ) {
    this.decoder = new NflogDropDecoder(options);
    const quietMs = options.coalesceMs ?? DEFAULT_COALESCER_OPTIONS.quietMs;
    if (quietMs > 0) {
      this.coalescer = new NflogDropCoalescer(onEvent, { ...DEFAULT_COALESCER_OPTIONS, quietMs });
    }
  }

  get counters(): NflogCounters {
    return this.decoder.counters;
  }

  frame(frame: CapturedFrame): void {
    const event = this.decoder.decodeFrame(frame);
    if (event && this.coalescer) {
      this.coalescer.push(event);
    } else if (event) {
      this.onEvent(event);
    }
  }

  // Wall-clock tick in live mode: a folded drop is reported once its flow has been quiet long enough.
  advance(nowUs: number): void {
    this.coalescer?.advance(nowUs);
  }

  // End of the capture or of the source: every drop still folding is reported.
  flush(): void {
    this.coalescer?.flush();
  }
}
