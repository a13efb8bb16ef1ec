import React, { useState } from 'react';
import { FRAME } from '../../../model/frameNames';
import type { Unsubscribable } from 'rxjs';
import { dateTime, LoadingState, TimeRange } from '@grafana/data';
import {
  PanelBuilders,
  SceneComponentProps,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObject,
  SceneObjectBase,
  SceneObjectState,
  SceneObjectUrlSyncConfig,
  SceneObjectUrlValues,
  SceneQueryRunner,
  SceneReactObject,
  sceneGraph,
} from '@grafana/scenes';
import { Button, EmptyState, InlineField, Input, LinkButton, Stack } from '@grafana/ui';
import { normalizeTraceId } from '../../../model/traceId';
import { testIds } from '../../components/testIds';
import type { WiretraceTarget } from '../../datasource/ref';
import { lokiTraceLogsExploreUrl, traceExploreUrl } from '../shared/appUrls';
import { sharedTransformed, transformed, wiretraceRunner } from '../shared/wiretraceQueries';
import { isDropOrReset, keepRowsTransform, pickFramesTransform, pickTraceTransform } from '../shared/frameRows';
import { dropWindow, parseDropId } from '../../../model/dropId';
import { singleExplainedDrop } from './dropCase';
import { DropCaseScene } from './DropCaseScene';
import { DropContextScene } from './DropContextScene';

export interface InvestigateState extends SceneObjectState {
  target: WiretraceTarget;
  traceId?: string;
  drop?: string;
  openSingleCase?: boolean;
  inputError?: string;
  body?: SceneObject;
}

// Investigate: one timeline for a trace (spans, network events on their connections, logs) or for one drop.
// The trace id and drop id live in the URL as ?traceId= and ?drop=, the keys the datasource's links use.
export class InvestigateScene extends SceneObjectBase<InvestigateState> {
  static Component = InvestigateRenderer;

  // case=single (from a trace's header link): open the drop's case directly when exactly one drop explains the trace.
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['traceId', 'drop', 'case'] });
  private singleCaseWatch?: Unsubscribable;

  constructor(state: InvestigateState) {
    super({ ...state, body: undefined });
    this.setState({ body: this.buildBody(state.traceId, state.drop) });
  }

  getUrlState(): SceneObjectUrlValues {
    return {
      traceId: this.state.traceId,
      drop: this.state.drop,
      case: this.state.openSingleCase ? 'single' : undefined,
    };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const traceId = typeof values.traceId === 'string' ? values.traceId : undefined;
    const drop = typeof values.drop === 'string' ? values.drop : undefined;
    const openSingleCase = values.case === 'single' && !drop;
    if (openSingleCase !== Boolean(this.state.openSingleCase)) {
      this.setState({ openSingleCase });
    }
    if (traceId !== this.state.traceId || drop !== this.state.drop) {
      this.show(traceId, drop);
    }
  }

  // What the user typed: a trace id (any case, leading zeros optional) or a drop id.
  investigate(input: string): void {
    const text = input.trim();
    const dropKey = parseDropId(text);
    if (dropKey) {
      // A pasted drop id carries its time: look around it, whatever the page showed before.
      const window = dropWindow(dropKey);
      sceneGraph.getTimeRange(this).onTimeRangeChange(makeTimeRange(window.from, window.to));
      this.show(undefined, text);
      return;
    }
    const traceId = normalizeTraceId(text);
    if (!traceId) {
      this.setState({ inputError: `"${text}" is neither a trace id (1–32 hex digits) nor a drop id` });
      return;
    }
    this.show(traceId, undefined);
  }

  private show(traceId: string | undefined, drop: string | undefined): void {
    this.singleCaseWatch?.unsubscribe();
    this.singleCaseWatch = undefined;
    this.setState({
      traceId,
      drop,
      inputError: undefined,
      openSingleCase: drop ? false : this.state.openSingleCase,
      body: this.buildBody(traceId, drop),
    });
  }

  private buildBody(traceId: string | undefined, drop: string | undefined): SceneObject | undefined {
    const normalized = normalizeTraceId(traceId);
    if (normalized) {
      return this.traceBody(normalized);
    }
    if (drop && parseDropId(drop)) {
      return this.dropBody(drop);
    }
    return undefined;
  }

  // One traceNetwork query answers with the trace, its logs and its network events; each panel shows one frame.
  private traceBody(traceId: string): SceneObject {
    const answer = wiretraceRunner(this.state.target.ref, [
      { queryType: 'traceNetwork', traceId, slackMs: 500, limit: 2000 },
    ]);
    const trace = PanelBuilders.traces()
      .setTitle('Trace with network events')
      .setDescription(
        'The span waterfall; drops, resets and retransmits on each span’s connections appear inside the spans, and ' +
          'each call’s DNS lookup, TCP connect, TLS handshake, time to first byte and transfer as its child spans.'
      )
      .setData(sharedTransformed([pickTraceTransform()]))
      .build();
    const events = PanelBuilders.table()
      .setTitle('Network events on this trace’s connections')
      .setData(sharedTransformed([pickFramesTransform(FRAME.networkEvents)]))
      .setNoValue('The agents saw no network events on this trace’s connections')
      .build();
    // The drops that broke this trace's spans, each with its policy explanation and why it matched.
    const traceDrops = wiretraceRunner(this.state.target.ref, [{ queryType: 'drops', traceId, slackMs: 500 }]);
    this.watchForSingleCase(traceDrops);
    const explanations = PanelBuilders.table()
      .setTitle('Policy explanation')
      .setDescription(
        'Drops matched to the spans of this trace: the NetworkPolicy verdict, the confidence and the reason of each match.'
      )
      .setData(transformed(traceDrops, [pickFramesTransform(FRAME.drops)]))
      .setNoValue('No drop matched a span of this trace: the network did not break it')
      .build();
    const resets = PanelBuilders.table()
      .setTitle('Drops and resets on the connections')
      .setData(sharedTransformed([pickFramesTransform(FRAME.networkEvents), keepRowsTransform(isDropOrReset)]))
      .setNoValue('No drop or reset on these connections')
      .build();
    const logs = PanelBuilders.logs()
      .setTitle('Logs of this trace')
      .setData(sharedTransformed([pickFramesTransform(FRAME.traceLogs)]))
      .setOption('showTime', true)
      .setOption('wrapLogMessage', true)
      .build();
    return new SceneFlexLayout({
      $data: answer,
      direction: 'column',
      children: [
        new SceneFlexItem({
          height: 40,
          body: new SceneReactObject({ component: () => <UpstreamLinks scene={this} traceId={traceId} /> }),
        }),
        new SceneFlexItem({ minHeight: 420, body: trace }),
        new SceneFlexLayout({
          direction: 'row',
          minHeight: 300,
          children: [new SceneFlexItem({ body: explanations }), new SceneFlexItem({ body: resets })],
        }),
        new SceneFlexItem({ minHeight: 300, body: events }),
        new SceneFlexItem({ minHeight: 320, body: logs }),
      ],
    });
  }

  // When asked to, the trace's drops answer with exactly one drop opens that drop's case instead of the trace.
  private watchForSingleCase(traceDrops: SceneQueryRunner): void {
    this.singleCaseWatch?.unsubscribe();
    this.singleCaseWatch = traceDrops.subscribeToState(({ data }) => {
      if (!this.state.openSingleCase || data?.state !== LoadingState.Done) {
        return;
      }
      const drop = singleExplainedDrop(data.series);
      this.setState({ openSingleCase: false });
      if (drop) {
        this.show(undefined, drop);
      }
    });
  }

  // The drop case: the drops query reads only around the drop's time and answers that drop alone.
  private dropBody(drop: string): SceneObject {
    const ds = this.state.target.ref;
    return new SceneFlexLayout({
      $data: wiretraceRunner(ds, [{ queryType: 'drops', dropId: drop, slackMs: 500 }]),
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new DropCaseScene({ dropId: drop }) }),
        new SceneFlexItem({ body: new DropContextScene({ dropId: drop, datasource: ds }) }),
      ],
    });
  }
}

function makeTimeRange(fromMs: number, toMs: number): TimeRange {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}

function UpstreamLinks({ scene, traceId }: { scene: InvestigateScene; traceId: string }) {
  const { target } = scene.useState();
  const range = sceneGraph.getTimeRange(scene).useState().value.raw;
  const time = { from: range.from.toString(), to: range.to.toString() };
  const store = target.traceStore ?? { kind: 'tempo' as const, name: 'Tempo', uid: target.tempoUid };
  return (
    <Stack direction="row" gap={1} data-testid={testIds.pages.investigateLinks}>
      {store.uid && (
        <LinkButton
          size="sm"
          variant="secondary"
          icon="compass"
          href={traceExploreUrl({ kind: store.kind, uid: store.uid }, traceId, time)}
        >
          Open in {store.name}
        </LinkButton>
      )}
      {target.lokiUid && (
        <LinkButton
          size="sm"
          variant="secondary"
          icon="gf-logs"
          href={lokiTraceLogsExploreUrl(target.lokiUid, traceId, time)}
        >
          Logs in Loki
        </LinkButton>
      )}
    </Stack>
  );
}

function InvestigateRenderer({ model }: SceneComponentProps<InvestigateScene>) {
  const { traceId, drop, inputError, body } = model.useState();
  return (
    <Stack direction="column" gap={2}>
      {/* Keyed by what is shown, so going back in history refills the box with that trace or drop. */}
      <InvestigateInput key={traceId ?? drop ?? ''} model={model} initial={traceId ?? drop ?? ''} error={inputError} />
      {body ? (
        <body.Component model={body} />
      ) : (
        <div data-testid={testIds.pages.investigateEmpty}>
          <EmptyState variant="call-to-action" message="Enter a trace id, or open a drop">
            Paste the trace id of a failed request, or follow “Investigate this drop” from a drops table. You get the
            span waterfall with the network events on its connections, the policy explanation and the logs, on one
            timeline.
          </EmptyState>
        </div>
      )}
    </Stack>
  );
}

function InvestigateInput({ model, initial, error }: { model: InvestigateScene; initial: string; error?: string }) {
  const [text, setText] = useState(initial);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        model.investigate(text);
      }}
    >
      <Stack direction="row" gap={1} alignItems="flex-start">
        <InlineField label="Trace or drop" labelWidth={16} invalid={Boolean(error)} error={error} grow>
          <Input
            aria-label="Trace id or drop id"
            value={text}
            placeholder="4bf92f3577b34da6a3ce929d0e0e4736"
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </InlineField>
        <Button type="submit" icon="search">
          Investigate
        </Button>
      </Stack>
    </form>
  );
}
