import { EmbeddedScene, PanelBuilders, SceneFlexItem, SceneFlexLayout, SceneTimeRange } from '@grafana/scenes';
import { FRAME } from '../../../model/frameNames';
import {
  BigValueGraphMode,
  MappingType,
  GraphDrawStyle,
  LegendDisplayMode,
  StackingMode,
  TableCellDisplayMode,
} from '@grafana/schema';
import type { WiretraceTarget } from '../../datasource/ref';
import { buildFilterVariables } from '../shared/filterVariables';
import { isPolicyDenial, keepRowsTransform, pickFramesTransform, topPairsTransform } from '../shared/frameRows';
import { pageControls } from '../shared/pageControls';
import { sharedTransformed, transformed, withPageFilters, wiretraceRunner } from '../shared/wiretraceQueries';

const FILTERS = ['namespace', 'pod'] as const;

// Overview: what is the network doing to requests right now — drops, their causes, DNS and TCP health, and the
// connections flagged by the security signals.
export function buildOverviewScene(target: WiretraceTarget): EmbeddedScene {
  const ds = target.ref;
  const q = (query: Parameters<typeof withPageFilters>[0]) => withPageFilters(query, [...FILTERS]);

  const dropsTable = wiretraceRunner(ds, [q({ queryType: 'drops', limit: 5000 })]);

  const dropsByReason = PanelBuilders.timeseries()
    .setTitle('Drops by reason')
    .setDescription('Dropped or denied connection attempts per reason (policy_denied, unanswered_syn, …).')
    .setCustomFieldConfig('drawStyle', GraphDrawStyle.Bars)
    .setCustomFieldConfig('stacking', { mode: StackingMode.Normal, group: 'A' })
    .setCustomFieldConfig('fillOpacity', 80)
    .setOption('legend', { displayMode: LegendDisplayMode.Table, placement: 'right', showLegend: true, calcs: ['sum'] })
    .build();

  const dropsByPolicy = PanelBuilders.timeseries()
    .setTitle('Drop rate by policy')
    .setDescription('Drops each NetworkPolicy explains, over time.')
    .setData(wiretraceRunner(ds, [q({ queryType: 'drops', asTimeSeries: true, groupBy: 'policy' })]))
    .setOption('legend', { displayMode: LegendDisplayMode.Table, placement: 'right', showLegend: true, calcs: ['sum'] })
    .build();

  const topDenied = PanelBuilders.table()
    .setTitle('Top denied source → destination')
    .setDescription('Drops a NetworkPolicy denied, counted per source and destination.')
    .setData(
      sharedTransformed([pickFramesTransform(FRAME.drops), keepRowsTransform(isPolicyDenial), topPairsTransform(10)])
    )
    .setOverrides((b) =>
      b.matchFieldsWithName('drops').overrideCustomFieldConfig('cellOptions', { type: TableCellDisplayMode.Gauge })
    )
    .build();

  const failedSpans = PanelBuilders.table()
    .setTitle('Failed spans with a network cause')
    .setDescription('Each client span the join matched to a drop, with its confidence and the one-line reason.')
    .setData(sharedTransformed([pickFramesTransform(FRAME.dropSpanMatches)]))
    .setNoValue('No failed span had a network cause in this time range')
    .build();

  const dnsFailures = PanelBuilders.table()
    .setTitle('DNS failures')
    .setData(
      transformed(wiretraceRunner(ds, [q({ queryType: 'dns', limit: 2000 })]), [pickFramesTransform(FRAME.dnsFailures)])
    )
    .setNoValue('No failed DNS lookups')
    .build();

  const retransmits = PanelBuilders.timeseries()
    .setTitle('TCP health by service pair')
    .setDescription('Retransmits and RTT per source → destination service.')
    .setData(wiretraceRunner(ds, [q({ queryType: 'tcpHealth', asTimeSeries: true })]))
    .build();

  const tcpTable = PanelBuilders.table()
    .setTitle('TCP health by service pair: connections, resets, retransmits, RTT')
    .setData(
      transformed(wiretraceRunner(ds, [q({ queryType: 'tcpHealth', limit: 500 })]), [
        pickFramesTransform(FRAME.tcpHealth),
      ])
    )
    .build();

  // One signals query feeds the summary and the list.
  const signals = wiretraceRunner(ds, [q({ queryType: 'signals', limit: 2000 })]);
  const signalSummary = PanelBuilders.table()
    .setTitle('Security signals')
    .setDescription(
      'Connections to suspicious ports, from the cluster to addresses outside it, and to or from blocklisted addresses, counted per rule and destination.'
    )
    .setData(sharedTransformed([pickFramesTransform(FRAME.signalSummary)]))
    .setNoValue('No security signal in this time range')
    .setOverrides((b) =>
      b
        .matchFieldsWithName('severity')
        .overrideMappings([
          { type: MappingType.ValueToText, options: { critical: { color: 'red' }, warning: { color: 'orange' } } },
        ])
        .overrideCustomFieldConfig('cellOptions', { type: TableCellDisplayMode.ColorText })
    )
    .build();
  const signalList = PanelBuilders.table()
    .setTitle('Recent security signals')
    .setDescription('Each flagged connection once, newest first: the rule it matched, its source pod and destination.')
    .setData(sharedTransformed([pickFramesTransform(FRAME.signals)]))
    .setNoValue('No security signal in this time range')
    .build();

  // The stat reads the by-reason series (one query for both panels), summed across reasons.
  const dropCount = PanelBuilders.stat()
    .setTitle('Drops')
    .setData(
      sharedTransformed([
        { id: 'calculateField', options: { mode: 'reduceRow', reduce: { reducer: 'sum' }, replaceFields: true } },
      ])
    )
    .setOption('reduceOptions', { calcs: ['sum'], values: false })
    .setOption('graphMode', BigValueGraphMode.Area)
    .build();

  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: buildFilterVariables(ds, [...FILTERS]),
    controls: pageControls(),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexLayout({
          $data: wiretraceRunner(ds, [q({ queryType: 'drops', asTimeSeries: true, groupBy: 'reason' })]),
          direction: 'row',
          minHeight: 260,
          children: [new SceneFlexItem({ width: '20%', body: dropCount }), new SceneFlexItem({ body: dropsByReason })],
        }),
        // One drops query feeds the pairs and the matched spans.
        new SceneFlexLayout({
          $data: dropsTable,
          direction: 'column',
          children: [
            row(280, [new SceneFlexItem({ body: dropsByPolicy }), new SceneFlexItem({ body: topDenied })]),
            row(300, [new SceneFlexItem({ body: failedSpans })]),
          ],
        }),
        row(280, [new SceneFlexItem({ body: dnsFailures }), new SceneFlexItem({ body: retransmits })]),
        row(280, [new SceneFlexItem({ body: tcpTable })]),
        new SceneFlexLayout({
          $data: signals,
          direction: 'row',
          minHeight: 280,
          children: [new SceneFlexItem({ width: '40%', body: signalSummary }), new SceneFlexItem({ body: signalList })],
        }),
      ],
    }),
  });
}

function row(minHeight: number, children: SceneFlexItem[]): SceneFlexLayout {
  return new SceneFlexLayout({ direction: 'row', minHeight, children });
}
