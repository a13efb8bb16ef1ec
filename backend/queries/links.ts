// Data links every frame shares: trace ids to Tempo, drops to the Investigate page, pods and services to Flows.
import type { QueryContext } from '../datasource/types';
import type { DataLink, FieldConfig } from '../frames/frame';

export const APP_PATH = '/a/wiretrace-correlation-app';

export function tempoTraceLink(ctx: QueryContext, field = '${__value.raw}'): DataLink[] {
  const uid = ctx.settings.jsonData.tempo?.datasourceUid;
  if (!uid) {
    return [];
  }
  return [
    {
      title: 'Open trace in Tempo',
      url: '',
      internal: { datasourceUid: uid, datasourceName: 'Tempo', query: { query: field, queryType: 'traceql' } },
    },
  ];
}

export function traceIdFieldConfig(ctx: QueryContext): FieldConfig {
  const investigate: DataLink = {
    title: 'Investigate this trace',
    url: `${APP_PATH}/investigate?traceId=\${__value.raw}&\${__url_time_range}`,
  };
  return { displayNameFromDS: 'Trace ID', links: [...tempoTraceLink(ctx), investigate] };
}

export function dropLinkConfig(): FieldConfig {
  return {
    links: [
      {
        title: 'Investigate this drop',
        url: `${APP_PATH}/investigate?drop=\${__data.fields.drop_id}&\${__url_time_range}`,
      },
    ],
  };
}

export function flowsLinkConfig(
  namespaceField: string,
  podField: string,
  title = 'Show flows of this pod'
): FieldConfig {
  return {
    links: [
      {
        title,
        url: `${APP_PATH}/flows?var-namespace=\${__data.fields.${namespaceField}}&var-pod=\${__data.fields.${podField}}&\${__url_time_range}`,
      },
    ],
  };
}

export function serviceFlowsLinkConfig(namespaceField: string, serviceField: string): FieldConfig {
  return {
    links: [
      {
        title: 'Show flows of this service',
        url: `${APP_PATH}/flows?var-namespace=\${__data.fields.${namespaceField}}&var-service=\${__data.fields.${serviceField}}&\${__url_time_range}`,
      },
    ],
  };
}
