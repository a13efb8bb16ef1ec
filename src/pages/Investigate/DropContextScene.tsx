// The drop case view's context: once the drop is read (its pods are named in it), the logs of both pods and the
// source's other events toward the destination, in a window around the drop.
import { dateTime, type DataFrame } from '@grafana/data';
import {
  PanelBuilders,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObjectBase,
  SceneTimeRange,
  sceneGraph,
  type SceneComponentProps,
  type SceneObject,
  type SceneObjectState,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import React from 'react';
import { wiretraceRunner } from '../shared/wiretraceQueries';
import { readDropCase, type CaseEndpoint, type DropCase } from './dropCase';

// Logs and events are looked up this far either side of the drop.
export const CONTEXT_MARGIN_MS = 30_000;

export interface DropContextState extends SceneObjectState {
  dropId: string;
  datasource: DataSourceRef;
  // Built once, when the drops answer holds the drop.
  body?: SceneObject;
}

export class DropContextScene extends SceneObjectBase<DropContextState> {
  static Component = DropContextRenderer;

  constructor(state: DropContextState) {
    super(state);
    this.addActivationHandler(() => {
      const data = sceneGraph.getData(this);
      this.buildFor(data.state.data?.series);
      const sub = data.subscribeToState((s) => this.buildFor(s.data?.series));
      return () => sub.unsubscribe();
    });
  }

  private buildFor(frames: DataFrame[] | undefined): void {
    const found = frames ? readDropCase(frames, this.state.dropId) : undefined;
    if (found && !this.state.body) {
      this.setState({ body: dropContext(this.state.datasource, found) });
    }
  }
}

// Logs of each pod and the source's events toward the destination (both ends filtered), around the drop.
export function dropContext(datasource: DataSourceRef, c: DropCase): SceneObject {
  const logsOf = (end: CaseEndpoint, title: string) =>
    PanelBuilders.logs()
      .setTitle(title)
      .setData(wiretraceRunner(datasource, [{ queryType: 'logs', namespace: end.namespace, pod: end.pod, limit: 500 }]))
      .setOption('showTime', true)
      .setOption('wrapLogMessage', true)
      .setNoValue(`No log lines of ${end.pod} around the drop`)
      .build();
  const events = PanelBuilders.table()
    .setTitle(`TCP and DNS around the drop: ${c.source.pod ?? c.source.ip} → ${c.destination.ip}`)
    .setDescription('Connections, retries, resets and DNS answers of the source pod toward the destination.')
    .setData(
      wiretraceRunner(datasource, [
        {
          queryType: 'flows',
          namespace: c.source.namespace,
          pod: c.source.pod,
          search: c.destination.ip,
          kinds: ['flow', 'drop', 'reset', 'dns'],
          limit: 500,
        },
      ])
    )
    .build();
  const logs = [c.source, c.destination]
    .filter((end) => end.pod)
    .map((end, i) => new SceneFlexItem({ body: logsOf(end, `${i === 0 ? 'Source' : 'Destination'} ${end.pod} logs`) }));
  return new SceneFlexLayout({
    $timeRange: new SceneTimeRange({
      from: dateTime(c.timeMs - CONTEXT_MARGIN_MS).toISOString(),
      to: dateTime((c.endTimeMs ?? c.timeMs) + CONTEXT_MARGIN_MS).toISOString(),
    }),
    direction: 'column',
    children: [
      new SceneFlexLayout({ direction: 'row', minHeight: 320, children: logs }),
      new SceneFlexItem({ minHeight: 260, body: events }),
    ],
  });
}

function DropContextRenderer({ model }: SceneComponentProps<DropContextScene>) {
  const { body } = model.useState();
  return body ? <body.Component model={body} /> : null;
}
