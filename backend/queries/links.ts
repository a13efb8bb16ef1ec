// Data links every frame shares: trace ids to Tempo or Jaeger, drops to the Investigate page, pods and services to Flows.
import type { QueryContext } from '../datasource/types';
import type { DataLink, FieldConfig } from '../frames/frame';

export const APP_PATH = '/a/wiretrace-correlation-app';

// Opens the trace in the Grafana datasource of the chosen trace store (Tempo or Jaeger), when its uid is set.
export function traceStoreLink(ctx: QueryContext, field = '${__value.raw}'): DataLink[] {
  if (ctx.instance.settings.jsonData.traceStore === 'jaeger') {
    const uid = ctx.instance.settings.jsonData.jaeger?.datasourceUid;
    // Grafana's Jaeger datasource looks a trace up by id when the query has no queryType.
    return uid
      ? [
          {
            title: 'Open trace in Jaeger',
            url: '',
            internal: { datasourceUid: uid, datasourceName: 'Jaeger', query: { query: field } },
          },
        ]
      : [];
  }
  const uid = ctx.instance.settings.jsonData.tempo?.datasourceUid;
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
  return { displayNameFromDS: 'Trace ID', links: [...traceStoreLink(ctx), investigate] };
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

// Topology: a node's namespace drills the graph down to it.
export function namespaceTopologyLinkConfig(namespaceField: string): FieldConfig {
  return {
    links: [
      {
        title: 'Drill down into this namespace',
        url: `${APP_PATH}/topology?var-namespace=\${__data.fields.${namespaceField}}&\${__url_time_range}`,
      },
    ],
  };
}

// The drops (and resets) of one source pod, narrowed by a search term (the other end) when the field is set.
export function dropsLinkConfig(title: string, namespaceField: string, podField: string, searchField?: string) {
  const search = searchField ? `&var-search=\${__data.fields.${searchField}}` : '';
  return {
    links: [
      {
        title,
        url: `${APP_PATH}/flows?var-namespace=\${__data.fields.${namespaceField}}&var-pod=\${__data.fields.${podField}}&var-kinds=drop&var-kinds=reset${search}&\${__url_time_range}`,
      },
    ],
  };
}
