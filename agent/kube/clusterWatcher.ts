// Live cluster state from six informers (pods, services, endpointslices, namespaces, nodes, networkpolicies).
// The client library's ListWatch relists on 410 Gone and resumes dropped watches; this adds what it leaves
// out: restart with capped exponential backoff after an error, watch bookmarks, staleness and health metrics.
import {
  CoreV1Api,
  DiscoveryV1Api,
  ListWatch,
  NetworkingV1Api,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { Registry, type RegistryContentType } from 'prom-client';
import { CLUSTER_RESOURCES, emptySnapshot, type ClusterResource, type ClusterSnapshot } from './model';
import type { ClusterObject, ClusterObserver } from './observer';
import { WatchMetrics } from './watchMetrics';

export interface ClusterWatcherOptions {
  observers?: ClusterObserver[];
  // Where the watch-health metrics go (the agent's /metrics registries); a private registry when absent.
  registries?: Array<Registry<RegistryContentType>>;
  // A resource with no list, event or bookmark for this long is marked stale.
  staleAfterMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  resources?: ClusterResource[];
}

export interface ResourceHealth {
  synced: boolean;
  connected: boolean;
  stale: boolean;
  lastActivityMs?: number;
  consecutiveErrors: number;
  lastError?: string;
}

const PATHS: Record<ClusterResource, string> = {
  pods: '/api/v1/pods',
  services: '/api/v1/services',
  endpointSlices: '/apis/discovery.k8s.io/v1/endpointslices',
  namespaces: '/api/v1/namespaces',
  nodes: '/api/v1/nodes',
  networkPolicies: '/apis/networking.k8s.io/v1/networkpolicies',
};

type Lister = () => Promise<KubernetesListObject<KubernetesObject>>;

function listers(config: KubeConfig): Record<ClusterResource, Lister> {
  const core = config.makeApiClient(CoreV1Api);
  const discovery = config.makeApiClient(DiscoveryV1Api);
  const networking = config.makeApiClient(NetworkingV1Api);
  return {
    pods: () => core.listPodForAllNamespaces(),
    services: () => core.listServiceForAllNamespaces(),
    endpointSlices: () => discovery.listEndpointSliceForAllNamespaces(),
    namespaces: () => core.listNamespace(),
    nodes: () => core.listNode(),
    networkPolicies: () => networking.listNetworkPolicyForAllNamespaces(),
  };
}

interface WatchHooks {
  onConnect(): void;
  onEvent(type: string, object: { code?: number } | undefined): void;
  onDone(err: unknown): void;
}

// Asks for bookmarks and reports every watch event (bookmarks and errors included) before the cache sees it.
class InstrumentedWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly hooks: WatchHooks
  ) {
    super(config);
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void
  ): Promise<AbortController> {
    this.hooks.onConnect();
    return super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, object, raw) => {
        this.hooks.onEvent(phase, object as { code?: number } | undefined);
        callback(phase, object, raw);
      },
      (err) => {
        this.hooks.onDone(err);
        done(err);
      }
    );
  }
}

class ResourceInformer {
  readonly health: ResourceHealth = { synced: false, connected: false, stale: false, consecutiveErrors: 0 };
  private readonly informer: ListWatch<KubernetesObject>;
  private lists = 0;
  private connects = 0;
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    readonly resource: ClusterResource,
    config: KubeConfig,
    list: Lister,
    private readonly metrics: WatchMetrics,
    private readonly options: Required<Pick<ClusterWatcherOptions, 'backoffBaseMs' | 'backoffMaxMs'>>,
    private readonly onChange: (kind: 'upsert' | 'remove', object: KubernetesObject) => void
  ) {
    const labels = { resource };
    const watch = new InstrumentedWatch(config, {
      onConnect: () => {
        if (this.connects++ > 0) {
          metrics.reconnects.inc(labels);
        }
      },
      onEvent: (type) => {
        metrics.events.inc({ resource, type });
        this.markActive();
        this.health.connected = true;
        metrics.up.set(labels, 1);
      },
      onDone: (err) => {
        this.health.connected = false;
        metrics.up.set(labels, 0);
        if (err) {
          this.recordError(err);
        }
      },
    });
    const countedList = async () => {
      if (this.lists++ > 0) {
        metrics.relists.inc(labels);
      }
      const result = await list();
      this.markActive();
      this.health.synced = true;
      this.health.connected = true;
      this.health.consecutiveErrors = 0;
      metrics.up.set(labels, 1);
      return result;
    };
    this.informer = new ListWatch(PATHS[resource], watch, countedList, false);
    this.informer.on('add', (o) => this.changed('upsert', o));
    this.informer.on('update', (o) => this.changed('upsert', o));
    this.informer.on('delete', (o) => this.changed('remove', o));
    // ListWatch gives up after an error that is not 410 Gone: we restart it with backoff.
    this.informer.on('error', (err) => {
      this.recordError(err);
      this.scheduleRestart();
    });
  }

  start(): void {
    this.stopped = false;
    this.informer.start().catch((err: unknown) => {
      this.recordError(err);
      this.scheduleRestart();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer.stop();
    this.health.connected = false;
    this.metrics.up.set({ resource: this.resource }, 0);
  }

  objects(): KubernetesObject[] {
    return [...this.informer.list()];
  }

  refreshStaleness(nowMs: number, staleAfterMs: number): void {
    const last = this.health.lastActivityMs;
    this.health.stale = last === undefined ? this.health.consecutiveErrors > 0 : nowMs - last > staleAfterMs;
    this.metrics.stale.set({ resource: this.resource }, this.health.stale ? 1 : 0);
    this.metrics.objects.set({ resource: this.resource }, this.informer.list().length);
  }

  private changed(kind: 'upsert' | 'remove', object: KubernetesObject): void {
    this.health.consecutiveErrors = 0;
    this.onChange(kind, object);
  }

  private markActive(): void {
    this.health.lastActivityMs = Date.now();
    this.metrics.lastEvent.set({ resource: this.resource }, this.health.lastActivityMs / 1000);
  }

  private recordError(err: unknown): void {
    this.health.consecutiveErrors++;
    this.health.lastError = describeApiError(err);
    this.metrics.errors.inc({ resource: this.resource });
  }

  private scheduleRestart(): void {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.restartTimer);
    const exponent = Math.min(this.health.consecutiveErrors - 1, 16);
    const delay = Math.min(this.options.backoffBaseMs * 2 ** Math.max(exponent, 0), this.options.backoffMaxMs);
    // Jitter keeps a fleet of agents from relisting in lockstep after an API server restart.
    const jittered = delay * (0.8 + Math.random() * 0.4);
    this.restartTimer = setTimeout(() => this.start(), jittered);
    this.restartTimer.unref();
  }
}

// One line for logs and health: the client's ApiException message spans lines and carries response headers.
export function describeApiError(err: unknown): string {
  const { code, statusCode, body } = (err ?? {}) as { code?: unknown; statusCode?: unknown; body?: unknown };
  const status = typeof code === 'number' ? code : typeof statusCode === 'number' ? statusCode : undefined;
  if (status !== undefined) {
    let detail = '';
    try {
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as
        { message?: string; reason?: string } | undefined;
      detail = parsed?.message ?? parsed?.reason ?? '';
    } catch {
      detail = '';
    }
    return `HTTP ${status}${detail ? ` ${detail}` : ''}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}

export class ClusterWatcher {
  readonly registries: Array<Registry<RegistryContentType>>;
  private readonly informers: ResourceInformer[];
  private readonly observers: ClusterObserver[];
  private readonly staleAfterMs: number;
  private cachedSnapshot?: ClusterSnapshot;
  private stalenessTimer?: NodeJS.Timeout;

  constructor(config: KubeConfig, options: ClusterWatcherOptions = {}) {
    this.registries = options.registries && options.registries.length > 0 ? options.registries : [new Registry()];
    this.observers = options.observers ?? [];
    this.staleAfterMs = options.staleAfterMs ?? 120_000;
    const metrics = new WatchMetrics(this.registries);
    const lists = listers(config);
    const backoff = { backoffBaseMs: options.backoffBaseMs ?? 1000, backoffMaxMs: options.backoffMaxMs ?? 60_000 };
    this.informers = (options.resources ?? CLUSTER_RESOURCES).map(
      (resource) =>
        new ResourceInformer(resource, config, lists[resource], metrics, backoff, (kind, object) =>
          this.dispatch(resource, kind, object)
        )
    );
  }

  start(): void {
    for (const informer of this.informers) {
      informer.start();
    }
    this.stalenessTimer = setInterval(() => this.refreshStaleness(), Math.min(5000, this.staleAfterMs));
    this.stalenessTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.stalenessTimer);
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  // Resolves once every resource has completed its first list (or rejects after timeoutMs).
  async waitForSync(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.informers.every((i) => i.health.synced)) {
      if (Date.now() > deadline) {
        const missing = this.informers
          .filter((i) => !i.health.synced)
          .map((i) => `${i.resource} (${i.health.lastError ?? 'no answer'})`);
        throw new Error(`cluster informers did not sync within ${timeoutMs} ms: ${missing.join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  health(): Record<string, ResourceHealth> {
    this.refreshStaleness();
    return Object.fromEntries(this.informers.map((i) => [i.resource, { ...i.health }]));
  }

  isStale(): boolean {
    return Object.values(this.health()).some((h) => h.stale);
  }

  // The current state as a snapshot for the policy explainer; rebuilt only after a change.
  snapshot(): ClusterSnapshot {
    if (!this.cachedSnapshot) {
      const snapshot = emptySnapshot();
      for (const informer of this.informers) {
        (snapshot[informer.resource] as KubernetesObject[]) = informer.objects();
      }
      this.cachedSnapshot = snapshot;
    }
    return this.cachedSnapshot;
  }

  private dispatch(resource: ClusterResource, kind: 'upsert' | 'remove', object: KubernetesObject): void {
    this.cachedSnapshot = undefined;
    const atUs = Date.now() * 1000;
    for (const observer of this.observers) {
      if (kind === 'upsert') {
        observer.upsert(resource, object as ClusterObject<typeof resource>, atUs);
      } else {
        observer.remove(resource, object as ClusterObject<typeof resource>, atUs);
      }
    }
  }

  private refreshStaleness(): void {
    const now = Date.now();
    for (const informer of this.informers) {
      informer.refreshStaleness(now, this.staleAfterMs);
    }
  }
}
