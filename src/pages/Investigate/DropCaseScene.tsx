// The drop case view's summary: one drop in words, the spans it broke, the policy of both directions, the fix.
import React from 'react';
import { LoadingState, type DataFrame } from '@grafana/data';
import {
  SceneObjectBase,
  sceneGraph,
  type SceneComponentProps,
  type SceneDataProvider,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert, LoadingPlaceholder, Stack } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { dropHeadline, readDropCase, type DropCase } from './dropCase';
import { AttemptsTimeline, CaseHeadline, ExplainedSpans, FixSuggestions, PolicyDirections } from './DropCaseParts';

export interface DropCaseState extends SceneObjectState {
  dropId: string;
  // The drops query's answer; the closest ancestor's when absent.
  $data?: SceneDataProvider;
}

// The drop in words: headline, the spans it broke, both policy directions, the fix and the attempts.
export class DropCaseScene extends SceneObjectBase<DropCaseState> {
  static Component = DropCaseRenderer;

  // The case from the frames the drops query answered, or undefined while it is not among them.
  dropCase(frames: DataFrame[] | undefined): DropCase | undefined {
    return frames ? readDropCase(frames, this.state.dropId) : undefined;
  }

  headline(c: DropCase): string {
    return dropHeadline(c);
  }
}

function DropCaseRenderer({ model }: SceneComponentProps<DropCaseScene>) {
  const { dropId } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const range = sceneGraph.getTimeRange(model).useState().value.raw;
  const time = { from: range.from.toString(), to: range.to.toString() };
  if (!data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted) {
    return <LoadingPlaceholder text="Looking up the drop…" />;
  }
  if (data.state === LoadingState.Error) {
    return (
      <Alert severity="error" title="Could not load the drop">
        {data.errors?.map((e) => e.message).join('; ') ?? 'unknown error'}
      </Alert>
    );
  }
  const c = model.dropCase(data.series);
  if (!c) {
    return (
      <Alert severity="info" title="Drop not found in this time range">
        No drop with id {dropId} was returned. Widen the time range: the agents keep recent events, Loki keeps the
        history.
      </Alert>
    );
  }
  return (
    <div data-testid={testIds.dropCase.view}>
      <Stack direction="column" gap={2}>
        <CaseHeadline headline={model.headline(c)} dropCase={c} time={time} />
        <ExplainedSpans dropCase={c} time={time} />
        <PolicyDirections dropCase={c} />
        <FixSuggestions suggestions={c.suggestions} />
        <AttemptsTimeline dropCase={c} />
      </Stack>
    </div>
  );
}
