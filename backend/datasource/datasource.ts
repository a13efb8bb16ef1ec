// The Wiretrace datasource behind the protocol: queries, health, resources and metrics on plain requests.
import { checkUpstreams } from '../health/checkUpstreams';
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
import { QueryError, type DatasourceSettings, type QueryHandlers } from './types';

export class WiretraceDatasource implements PluginBackend {
  private readonly dispatcher: QueryDispatcher;

  constructor(
    handlers: QueryHandlers,
    private readonly metrics: BackendMetrics,
    private readonly logger: HclogLogger
  ) {
    this.dispatcher = new QueryDispatcher(handlers, metrics);
  }

  queryData(
    queries: DataQueryRequest[],
    settings: InstanceSettings,
    signal: AbortSignal
  ): Promise<Record<string, DataQueryResponse>> {
    return this.dispatcher.queryData(queries, settings, signal, this.loggerFor(settings));
  }

  async checkHealth(settings: InstanceSettings, signal: AbortSignal): Promise<HealthResult> {
    const started = performance.now();
    const result =
      settings instanceof Error
        ? { status: 'ERROR' as const, message: settings.message, details: { settings: settings.message } }
        : await checkUpstreams(settings, signal);
    if (!(settings instanceof Error)) {
      // Each upstream client masks its own credentials; this catches any secret of the datasource anywhere.
      const mask = secretMaskFor(settingsSecrets(settings));
      result.message = mask.mask(result.message);
      result.details = maskDeep(result.details, mask) as Record<string, unknown>;
    }
    this.metrics.observe('checkHealth', '', result.status === 'OK' ? 200 : 503, (performance.now() - started) / 1000);
    this.loggerFor(settings).info('health checked', { status: result.status, message: result.message });
    return result;
  }

  async callResource(
    settings: InstanceSettings,
    request: ResourceRequest,
    signal: AbortSignal
  ): Promise<ResourceResponse> {
    const started = performance.now();
    let response: ResourceResponse;
    try {
      if (settings instanceof Error) {
        throw settings;
      }
      response = await routeResource(settings, request, signal);
    } catch (err) {
      const status = err instanceof QueryError ? err.status : 500;
      const raw = err instanceof Error ? err.message : String(err);
      const message = settings instanceof Error ? raw : secretMaskFor(settingsSecrets(settings)).mask(raw);
      this.loggerFor(settings).warn('resource call failed', { route: resourceRoute(request), status, error: message });
      response = json(status, { error: message });
    }
    this.metrics.observe('callResource', resourceRoute(request), response.status, (performance.now() - started) / 1000);
    return response;
  }

  collectMetrics(): Promise<string> {
    return this.metrics.prometheusText();
  }

  // Every line logged for a datasource masks that datasource's decrypted secrets.
  private loggerFor(settings: InstanceSettings): HclogLogger {
    if (settings instanceof Error) {
      return this.logger;
    }
    const s: DatasourceSettings = settings;
    return this.logger.withSecrets(settingsSecrets(s)).with({ datasource: s.uid });
  }
}
