import React from 'react';
import { DataFrame, LoadingState } from '@grafana/data';
import { SceneComponentProps, SceneObjectBase, SceneObjectState, sceneGraph, SceneDataProvider } from '@grafana/scenes';
import { Alert, LinkButton, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { findField } from '../shared/frameRows';
import { flowsUrl, investigateUrl } from '../shared/appUrls';

export interface DropSummary {
  explanation: string;
  reason: string;
  policies: string[];
  source: { namespace?: string; pod?: string; ip?: string };
  destination: { namespace?: string; pod?: string; service?: string; ip?: string; port?: string };
  traceId?: string;
}

interface PolicyExplanationState extends SceneObjectState {
  dropId: string;
  $data: SceneDataProvider;
}

const str = (frame: DataFrame, names: string[], row: number): string | undefined => {
  const value: unknown = findField(frame, names)?.values[row];
  return value === null || value === undefined || value === '' ? undefined : String(value);
};

// Finds the drop's row in the drops frames and says, in words, why it was dropped.
export function summariseDrop(frames: DataFrame[], dropId: string): DropSummary | undefined {
  for (const frame of frames) {
    const ids = findField(frame, ['drop_id']);
    const row = ids ? ids.values.findIndex((v) => v === dropId) : -1;
    if (row < 0) {
      continue;
    }
    const policies = str(frame, ['policies', 'policy'], row);
    return {
      explanation: str(frame, ['explanation', 'why', 'policy_explanation'], row) ?? str(frame, ['reason'], row) ?? 'dropped',
      reason: str(frame, ['reason'], row) ?? '',
      policies: policies ? policies.split(/,\s*/) : [],
      source: { namespace: str(frame, ['src_namespace'], row), pod: str(frame, ['src_pod'], row), ip: str(frame, ['src_ip'], row) },
      destination: {
        namespace: str(frame, ['dst_namespace'], row),
        pod: str(frame, ['dst_pod'], row),
        service: str(frame, ['dst_service'], row),
        ip: str(frame, ['dst_ip'], row),
        port: str(frame, ['dst_port'], row),
      },
      traceId: str(frame, ['trace_id', 'traceId'], row),
    };
  }
  return undefined;
}

export class PolicyExplanationScene extends SceneObjectBase<PolicyExplanationState> {
  static Component = PolicyExplanationRenderer;
}

function endpoint(e: { namespace?: string; pod?: string; service?: string; ip?: string; port?: string }): string {
  const name = e.pod ?? e.service ?? e.ip ?? 'unknown';
  return `${e.namespace ? `${e.namespace}/` : ''}${name}${e.port ? `:${e.port}` : ''}`;
}

function PolicyExplanationRenderer({ model }: SceneComponentProps<PolicyExplanationScene>) {
  const { dropId } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const timeRange = sceneGraph.getTimeRange(model).useState();
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
  const drop = summariseDrop(data.series, dropId);
  if (!drop) {
    return (
      <Alert severity="info" title="Drop not found in this time range">
        No drop with id {dropId} was returned. Widen the time range: the agents keep recent events, Loki keeps the history.
      </Alert>
    );
  }
  const time = { from: timeRange.value.raw.from.toString(), to: timeRange.value.raw.to.toString() };
  return (
    <div data-testid={testIds.pages.policyExplanation}>
      <Stack direction="column" gap={1}>
        <Text element="h3">
          {endpoint(drop.source)} → {endpoint(drop.destination)}
        </Text>
        <Text>{drop.explanation}</Text>
        {drop.policies.length > 0 && <Text color="secondary">Policies: {drop.policies.join(', ')}</Text>}
        <Stack direction="row" gap={1}>
          {drop.traceId && (
            <LinkButton size="sm" icon="gf-traces" href={investigateUrl({ traceId: drop.traceId }, time)}>
              Investigate the failed trace
            </LinkButton>
          )}
          <LinkButton
            size="sm"
            variant="secondary"
            icon="exchange-alt"
            href={flowsUrl({ namespace: drop.source.namespace, pod: drop.source.pod }, time)}
          >
            Flows of the source pod
          </LinkButton>
        </Stack>
      </Stack>
    </div>
  );
}
