// Stand-in for Grafana's Explore (core, AGPL): each pane's datasource resolved by uid (a clear error when it does
// not exist); for a plugin datasource its QueryEditor, Run query through runRequest, and the frames with their
// links; for Tempo/Jaeger the trace view header with its extension links.
import React, { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router-dom';
import {
  applyFieldOverrides,
  DataFrame,
  DataQuery,
  DataQueryRequest,
  DataSourceApi,
  DataSourceInstanceSettings,
  dateMath,
  dateTime,
  LoadingState,
  PanelData,
  PanelProps,
  TimeRange,
} from '@grafana/data';
import { config, getDataSourceSrv, getRunRequest } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
import { standInPanel } from '../panels/StandInPanel';
import { ExplorePane, parsePanes, rangeValue } from './explorePanes';
import { TraceViewHeader } from './TraceViewHeader';

const ResultsPanel = standInPanel('explore results');

function timeRange(pane: ExplorePane): TimeRange {
  const at = (v: string, roundUp: boolean) => (/^\d+$/.test(v) ? dateTime(Number(v)) : dateMath.parse(v, roundUp)!);
  const raw = { from: rangeValue(pane.range?.from, 'now-1h'), to: rangeValue(pane.range?.to, 'now') };
  return { from: at(raw.from, false), to: at(raw.to, true), raw };
}

function traceFrameContext(frames: DataFrame[], settings: DataSourceInstanceSettings) {
  const trace = frames.find((f) => f.meta?.preferredVisualisationType === 'trace');
  const traceID = trace?.fields.find((f) => f.name === 'traceID')?.values[0];
  const start = trace?.fields.find((f) => f.name === 'startTime')?.values;
  if (!traceID) {
    return undefined;
  }
  const startMs = start?.length ? Math.min(...(start as number[])) : undefined;
  return { traceID: String(traceID), startTime: startMs ? startMs * 1000 : undefined, datasource: { uid: settings.uid, type: settings.type } };
}

function PluginPane({ settings, pane }: { settings: DataSourceInstanceSettings; pane: ExplorePane }) {
  const [ds, setDs] = useState<DataSourceApi>();
  const [error, setError] = useState<string>();
  const [query, setQuery] = useState<DataQuery>(() => ({ ...pane.queries[0], refId: pane.queries[0]?.refId ?? 'A', datasource: { uid: settings.uid, type: settings.type } }));
  const [data, setData] = useState<PanelData>();
  const range = useMemo(() => timeRange(pane), [pane]);

  const run = (ds: DataSourceApi, target: DataQuery) => {
    const request: DataQueryRequest = {
      requestId: `explore-${Date.now()}`,
      interval: '1s',
      intervalMs: 1000,
      maxDataPoints: 1000,
      range,
      scopedVars: {},
      targets: [target],
      timezone: 'browser',
      app: 'explore',
      startTime: Date.now(),
    };
    return getRunRequest()(ds, request).subscribe((next) => setData(next));
  };

  useEffect(() => {
    getDataSourceSrv()
      .get(settings.uid)
      .then((loaded) => {
        setDs(loaded);
        run(loaded, query);
      }, (err: Error) => setError(err.message));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.uid]);

  if (error) {
    return <Alert severity="error" title="Datasource failed to load">{error}</Alert>;
  }
  if (!ds) {
    return <LoadingPlaceholder text="Loading datasource…" />;
  }
  const QueryEditor = ds.components?.QueryEditor;
  const frames = data
    ? applyFieldOverrides({
        data: data.series,
        fieldConfig: { defaults: {}, overrides: [] },
        replaceVariables: (v: string) => v,
        theme: config.theme2,
        timeZone: 'browser',
      })
    : [];
  const trace = traceFrameContext(frames, settings);
  return (
    <div data-testid="host-explore-pane" data-datasource-uid={settings.uid}>
      {QueryEditor ? (
        <div data-testid="host-query-editor-row">
          <QueryEditor datasource={ds} query={query} onChange={setQuery} onRunQuery={() => run(ds, query)} range={range} app={'explore' as never} />
        </div>
      ) : null}
      <div style={{ margin: '8px 0' }}>
        <Button icon="sync" onClick={() => run(ds, query)} data-testid="host-run-query">
          Run query
        </Button>
        <span data-testid="host-query-state" style={{ marginLeft: 12, fontSize: 12 }}>
          {data?.state ?? 'NotStarted'}
        </span>
      </div>
      {data?.state === LoadingState.Error && (
        <Alert severity="error" title="Query error" data-testid="host-query-error">
          {data.errors?.map((e) => e.message).join('; ')}
        </Alert>
      )}
      {trace && <TraceViewHeader context={trace} />}
      {data && data.state !== LoadingState.Loading && (
        <ResultsPanel {...({ data: { ...data, series: frames }, width: 1100, height: 520 } as unknown as PanelProps)} />
      )}
    </div>
  );
}

function CorePane({ settings, pane }: { settings: DataSourceInstanceSettings; pane: ExplorePane }) {
  const query = pane.queries[0] as (DataQuery & { query?: string }) | undefined;
  const tracing = settings.type === 'tempo' || settings.type === 'jaeger';
  const context = useMemo(
    () => (tracing && query?.query ? { traceID: query.query, datasource: { uid: settings.uid, type: settings.type } } : undefined),
    [tracing, query?.query, settings.uid, settings.type]
  );
  return (
    <div data-testid="host-explore-pane" data-datasource-uid={settings.uid}>
      <div style={{ fontSize: 12 }}>
        {settings.type} is a core Grafana datasource: the test host shows the query a link opens with, not its result.
      </div>
      <pre data-testid="host-explore-queries" style={{ fontSize: 12 }}>
        {JSON.stringify(pane.queries, null, 2)}
      </pre>
      {context && <TraceViewHeader context={context} />}
    </div>
  );
}

export function ExplorePage() {
  const location = useLocation();
  let panes: ExplorePane[];
  try {
    panes = parsePanes(location.search);
  } catch (err) {
    return <Alert severity="error" title="Explore state is not readable">{String(err)}</Alert>;
  }
  if (panes.length === 0) {
    return <Alert severity="warning" title="Explore opened without a query" />;
  }
  return (
    <div>
      <div style={{ fontSize: 11, textTransform: 'uppercase', color: '#ff9830' }}>
        Stand-in for Grafana&apos;s Explore (core, not loaded)
      </div>
      {panes.map((pane, i) => {
        const settings = getDataSourceSrv().getInstanceSettings(pane.datasource);
        if (!settings) {
          return (
            <Alert key={i} severity="error" title="Datasource not found" data-testid="host-explore-missing-datasource">
              No datasource with uid “{pane.datasource}” exists
            </Alert>
          );
        }
        return (
          <section key={`${i}-${location.search}`}>
            <h3>
              Explore · {settings.name} ({settings.type})
            </h3>
            {settings.meta.module.startsWith('core:') ? <CorePane settings={settings} pane={pane} /> : <PluginPane settings={settings} pane={pane} />}
          </section>
        );
      })}
    </div>
  );
}
