import { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { DEFAULT_QUERY } from '../../model/query';
import { WiretraceJsonData, WiretraceQuery } from './types';

const INTERPOLATED: Array<keyof WiretraceQuery> = ['namespace', 'pod', 'service', 'traceId', 'policy', 'search'];

export class DataSource extends DataSourceWithBackend<WiretraceQuery, WiretraceJsonData> {
  constructor(instanceSettings: DataSourceInstanceSettings<WiretraceJsonData>) {
    super(instanceSettings);
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
        (next as unknown as Record<string, unknown>)[key] = templateSrv.replace(value, scopedVars);
      }
    }
    return next;
  }

  filterQuery(query: WiretraceQuery): boolean {
    return !query.hide;
  }
}
