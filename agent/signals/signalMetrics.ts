// Prometheus metrics of the security signals: signals raised by rule and severity, and the blocklist's state
// (entries in use, malformed lines skipped, reloads and failed reloads).
import { Counter, Gauge, type Registry, type RegistryContentType } from 'prom-client';
import type { NetworkEvent } from '../../model/events';
import type { BlocklistStats } from './blocklistFiles';

export class SignalMetrics {
  private readonly signals: Counter<'rule' | 'severity'> | undefined;

  constructor(registries: Array<Registry<RegistryContentType>>, blocklist: BlocklistStats | undefined) {
    if (registries.length === 0) {
      return;
    }
    const registers = registries;
    this.signals = new Counter({
      name: 'wiretrace_signals_total',
      help: 'Security signals raised, one per connection, counted once per rule it matched',
      labelNames: ['rule', 'severity'],
      registers,
    });
    if (!blocklist) {
      return;
    }
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('wiretrace_blocklist_entries', 'Blocks (CIDRs) on the blocklists in use', () => blocklist.entries);
    gauge(
      'wiretrace_blocklist_malformed_lines',
      'Blocklist lines skipped because they are not a CIDR or address',
      () => blocklist.malformedLines
    );
    new Counter({
      name: 'wiretrace_blocklist_reloads_total',
      help: 'Blocklist files read again after they changed, by outcome',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        this.inc({ outcome: 'ok' }, blocklist.reloads);
        this.inc({ outcome: 'failed' }, blocklist.reloadFailures);
      },
    });
  }

  record(event: NetworkEvent): void {
    if (event.kind !== 'signal' || !event.signal || !this.signals) {
      return;
    }
    for (const match of event.signal.matches) {
      this.signals.inc({ rule: match.rule, severity: event.signal.severity });
    }
  }
}
