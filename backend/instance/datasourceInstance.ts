// One version of one datasource instance: its settings, parsed once, and the upstream clients built from them on
// first use, shared by every request until Grafana sends changed settings and the instance is disposed.
import type { DatasourceSettings } from '../datasource/types';
import { ConcurrencyLimiter } from '../clients/limiter';
import { AgentFleet } from '../clients/agent';
import type { UpstreamClient } from '../clients/http';
import { traceStoreFor, type TraceStore } from '../clients/traceStore';
import { observabilityClient, DEFAULT_MAX_CONCURRENCY, type ObservabilityUpstream } from '../clients/upstreams';

export class DatasourceInstance {
  // Every upstream request of this instance's queries waits its turn here.
  readonly limiter: ConcurrencyLimiter;
  private readonly upstreams = new Map<ObservabilityUpstream, UpstreamClient>();
  private fleet?: AgentFleet;
  private store?: TraceStore;

  constructor(readonly settings: DatasourceSettings) {
    this.limiter = new ConcurrencyLimiter(settings.jsonData.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  }

  // Tempo, Jaeger (HTTP), Loki or VictoriaLogs; throws a 400 naming the missing setting when it is not configured.
  upstream(which: ObservabilityUpstream): UpstreamClient {
    let client = this.upstreams.get(which);
    if (!client) {
      client = observabilityClient(this.settings, which, this.limiter);
      this.upstreams.set(which, client);
    }
    return client;
  }

  // The capture agents: every address behind each configured URL, their nodes and the pods those host.
  get agents(): AgentFleet {
    return (this.fleet ??= new AgentFleet(this.settings));
  }

  // The trace store the settings choose (Tempo or Jaeger); throws a 400 when it is not configured.
  get traceStore(): TraceStore {
    return (this.store ??= traceStoreFor(this.settings, this.limiter));
  }

  // Called when newer settings replace this version: requests still running finish with the clients they hold,
  // later ones get the new instance.
  dispose(): void {
    this.upstreams.clear();
    this.fleet?.dispose();
    this.fleet = undefined;
    this.store = undefined;
  }
}
