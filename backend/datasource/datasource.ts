// The Wiretrace datasource behind the protocol: queries, health, resources and metrics on plain requests, each
// answered by the instance of its settings version (parsed once, clients shared, see backend/instance/).
import { checkUpstreams } from '../health/checkUpstreams';
import { DatasourceInstance } from '../instance/datasourceInstance';
import { InstanceManager } from '../instance/instanceManager';
import type { PluginBackend } from '../protocol/server';
import { json, resourceRoute, routeResource } from '../resources/routes';
import { QueryDispatcher } from './dispatch';
import type { HclogLogger } from './logger';
import type { BackendMetrics } from './metrics';
import { maskDeep, secretMaskFor, settingsSecrets } from './secretMask';
import type {
  DataQueryRequest,
  DataQueryResponse,
  HealthResult,
  InstanceSettings,
  ResourceRequest,
  ResourceResponse,
} from './requests';
import { QueryError, type QueryHandlers } from './types';

export class WiretraceDatasource implements PluginBackend {
  private readonly dispatcher: QueryDispatcher;

  constructor(
    handlers: QueryHandlers,
    private readonly metrics: BackendMetrics,
    private readonly logger: HclogLogger,
    private readonly instances = new InstanceManager()
  ) {
    this.dispatcher = new QueryDispatcher(handlers, metrics);
  }

  queryData(
    queries: DataQueryRequest[],
    settings: InstanceSettings,
    signal: AbortSignal
  ): Promise<Record<string, DataQueryResponse>> {
    const instance = this.instanceOf(settings);
    return this.dispatcher.queryData(queries, instance, signal, this.loggerFor(instance));
  }

  async checkHealth(settings: InstanceSettings, signal: AbortSignal): Promise<HealthResult> {
    const started = performance.now();
    const instance = this.instanceOf(settings);
    const result =
      instance instanceof Error
        ? { status: 'ERROR' as const, message: instance.message, details: { settings: instance.message } }
        : await checkUpstreams(instance, signal);
    if (instance instanceof DatasourceInstance) {
      // Each upstream client masks its own credentials; this catches any secret of the datasource anywhere.
      const mask = secretMaskFor(settingsSecrets(instance.settings));
      result.message = mask.mask(result.message);
      result.details = maskDeep(result.details, mask) as Record<string, unknown>;
    }
    this.metrics.observe('checkHealth', '', result.status === 'OK' ? 200 : 503, (performance.now() - started) / 1000);
    this.loggerFor(instance).info('health checked', { status: result.status, message: result.message });
    return result;
  }

  async callResource(
    settings: InstanceSettings,
    request: ResourceRequest,
    signal: AbortSignal
  ): Promise<ResourceResponse> {
    const started = performance.now();
    const instance = this.instanceOf(settings);
    let response: ResourceResponse;
    try {
      if (instance instanceof Error) {
        throw instance;
      }
      response = await routeResource(instance.settings, request, signal, instance.agents);
    } catch (err) {
      const status = err instanceof QueryError ? err.status : 500;
      const raw = err instanceof Error ? err.message : String(err);
      const message = instance instanceof Error ? raw : secretMaskFor(settingsSecrets(instance.settings)).mask(raw);
      this.loggerFor(instance).warn('resource call failed', { route: resourceRoute(request), status, error: message });
      response = json(status, { error: message });
    }
    this.metrics.observe('callResource', resourceRoute(request), response.status, (performance.now() - started) / 1000);
    return response;
  }

  collectMetrics(): Promise<string> {
    return this.metrics.prometheusText();
  }

  private instanceOf(settings: InstanceSettings): DatasourceInstance | Error {
    return settings instanceof Error ? settings : this.instances.instanceFor(settings);
  }

  // Every line logged for a datasource masks that datasource's decrypted secrets.
  private loggerFor(instance: DatasourceInstance | Error): HclogLogger {
    if (instance instanceof Error) {
      return this.logger;
    }
    return this.logger.withSecrets(settingsSecrets(instance.settings)).with({ datasource: instance.settings.uid });
  }
}
