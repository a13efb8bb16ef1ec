// Watch-health metrics of the cluster informers, one label value per resource.
import { Counter, Gauge, type Registry, type RegistryContentType } from 'prom-client';

export class WatchMetrics {
  readonly up: Gauge<'resource'>;
  readonly stale: Gauge<'resource'>;
  readonly objects: Gauge<'resource'>;
  readonly lastEvent: Gauge<'resource'>;
  readonly events: Counter<'resource' | 'type'>;
  readonly errors: Counter<'resource'>;
  readonly relists: Counter<'resource'>;
  readonly reconnects: Counter<'resource'>;

  // The same metrics on every registry given (the agent serves Prometheus and OpenMetrics from twin registries).
  constructor(registers: Array<Registry<RegistryContentType>>) {
    this.up = new Gauge({
      name: 'wiretrace_kube_watch_up',
      help: '1 while the watch connection of a resource is open',
      labelNames: ['resource'],
      registers,
    });
    this.stale = new Gauge({
      name: 'wiretrace_kube_watch_stale',
      help: '1 when a resource has had no list, event or bookmark for longer than the staleness limit',
      labelNames: ['resource'],
      registers,
    });
    this.objects = new Gauge({
      name: 'wiretrace_kube_objects',
      help: 'Objects held in the informer cache',
      labelNames: ['resource'],
      registers,
    });
    this.lastEvent = new Gauge({
      name: 'wiretrace_kube_watch_last_event_timestamp_seconds',
      help: 'When the last list, watch event or bookmark of a resource arrived',
      labelNames: ['resource'],
      registers,
    });
    this.events = new Counter({
      name: 'wiretrace_kube_watch_events_total',
      help: 'Watch events received, by type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR)',
      labelNames: ['resource', 'type'],
      registers,
    });
    this.errors = new Counter({
      name: 'wiretrace_kube_watch_errors_total',
      help: 'Failed lists and watches',
      labelNames: ['resource'],
      registers,
    });
    this.relists = new Counter({
      name: 'wiretrace_kube_relists_total',
      help: 'Full lists after the first (410 Gone, or recovery from an error)',
      labelNames: ['resource'],
      registers,
    });
    this.reconnects = new Counter({
      name: 'wiretrace_kube_watch_reconnects_total',
      help: 'Watch connections opened after the first',
      labelNames: ['resource'],
      registers,
    });
  }
}
