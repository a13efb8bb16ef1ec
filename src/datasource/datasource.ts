import { DataSourceInstanceSettings, LegacyMetricFindQueryOptions, MetricFindValue, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { DEFAULT_QUERY } from '../../model/query';
import { describeQuery } from './query/describeQuery';
import { parseResourceOptions, ResourceName, ResourceOption, resourcePath } from './resources/resourceOptions';
import { parseVariableQuery } from './resources/variableQuery';
import { traceStoreLink, type TraceStoreLink } from './traceStoreLink';
import { WiretraceJsonData, WiretraceQuery } from './types';

const INTERPOLATED: Array<keyof WiretraceQuery> = ['namespace', 'pod', 'service', 'traceId', 'policy', 'search'];

export class DataSource extends DataSourceWithBackend<WiretraceQuery, WiretraceJsonData> {
  readonly tempoDatasourceUid?: string;
  readonly lokiDatasourceUid?: string;
  // Tempo or Jaeger, and the Grafana datasource its traces open in.
  readonly traceStore: TraceStoreLink;

  constructor(instanceSettings: DataSourceInstanceSettings<WiretraceJsonData>) {
    super(instanceSettings);
    this.tempoDatasourceUid = instanceSettings.jsonData.tempo?.datasourceUid;
    this.lokiDatasourceUid = instanceSettings.jsonData.loki?.datasourceUid;
    this.traceStore = traceStoreLink(instanceSettings.jsonData);
  }

  getDefaultQuery(): Partial<WiretraceQuery> {
    return DEFAULT_QUERY;
  }

  // Dashboard variables are resolved in the browser before the query reaches the backend.
  applyTemplateVariables(query: WiretraceQuery, scopedVars: ScopedVars): WiretraceQuery {
    const templateSrv = getTemplateSrv();
    const next: WiretraceQuery = { ...query };
    for (const key of INTERPOLATED) {
      const value = query[key];
      if (typeof value === 'string' && value !== '') {
        const replaced = templateSrv.replace(value, scopedVars);
        // An "All" selection of a variable means no filter on that field.
        (next as unknown as Record<string, unknown>)[key] =
          replaced === '$__all' || replaced === '*' ? undefined : replaced;
      }
    }
    if (query.kinds) {
      // A multi-value variable expands to several kinds; "All" means every kind.
      const kinds = query.kinds
        .flatMap((k) => templateSrv.replace(k, scopedVars, 'csv').split(','))
        .map((k) => k.trim());
      next.kinds = kinds.length === 0 || kinds.some((k) => k === '*' || k === '$__all' || k === '') ? undefined : kinds;
    }
    return next;
  }

  filterQuery(query: WiretraceQuery): boolean {
    return !query.hide;
  }

  getQueryDisplayText(query: WiretraceQuery): string {
    return describeQuery(query);
  }

  // Options for the query editor and variables, from the backend's resource routes.
  async listResource(resource: ResourceName, namespace?: string): Promise<ResourceOption[]> {
    const body = await this.getResource<unknown>(resourcePath(resource, namespace));
    return parseResourceOptions(body, resource);
  }

  // Variable queries are resource names, e.g. `namespaces` or `pods?namespace=$namespace`.
  async metricFindQuery(query: unknown, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    const raw = typeof query === 'string' ? query : ((query as { query?: string } | undefined)?.query ?? '');
    const parsed = parseVariableQuery(getTemplateSrv().replace(raw, options?.scopedVars));
    const found = await this.listResource(parsed.resource, parsed.namespace);
    return found.map((o) => ({ text: o.label, value: o.value }));
  }
}
