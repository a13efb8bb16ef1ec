import React from 'react';
import { InlineField, InlineSwitch, Input, MultiCombobox, RadioButtonGroup, Stack } from '@grafana/ui';
import { DROP_GROUPINGS, DropGrouping, QueryType } from '../../../../model/query';
import { normalizeTraceId } from '../../../../model/traceId';
import { testIds } from '../../../components/testIds';
import type { DataSource } from '../../datasource';
import { EVENT_KINDS, hasField } from '../../query/queryFields';
import type { WiretraceQuery } from '../../types';
import { ResourceField } from './ResourceField';

interface Props {
  query: WiretraceQuery & { queryType: QueryType };
  datasource: DataSource;
  onChange: (query: WiretraceQuery, run?: boolean) => void;
}

const KIND_OPTIONS = EVENT_KINDS.map((k) => ({ label: k, value: k }));
const GROUP_OPTIONS = DROP_GROUPINGS.map((g) => ({ label: `by ${g}`, value: g }));

// Filters whose options come from the datasource's resource routes; all but namespace narrow by the chosen namespace.
const RESOURCE_FILTERS = [
  {
    key: 'namespace',
    resource: 'namespaces',
    label: 'Namespace',
    tooltip: 'Either end of the connection is in this namespace.',
  },
  { key: 'pod', resource: 'pods', label: 'Pod', tooltip: 'Either end of the connection is this pod.' },
  {
    key: 'service',
    resource: 'services',
    label: 'Service',
    tooltip: 'Traffic to or from the pods of this Kubernetes Service.',
  },
  { key: 'policy', resource: 'policies', label: 'Policy', tooltip: 'Only drops this NetworkPolicy explains.' },
] as const;

export function QueryFilters({ query, datasource, onChange }: Props) {
  const show = (field: Parameters<typeof hasField>[1]) => hasField(query.queryType, field);
  const set = <K extends keyof WiretraceQuery>(key: K, value: WiretraceQuery[K], run = true) =>
    onChange({ ...query, [key]: value }, run);
  const traceIdInvalid = Boolean(query.traceId && !query.traceId.includes('$') && !normalizeTraceId(query.traceId));

  return (
    <Stack direction="row" wrap="wrap" gap={0.5}>
      {RESOURCE_FILTERS.map((f) =>
        show(f.key) ? (
          <ResourceField
            key={f.key}
            datasource={datasource}
            resource={f.resource}
            namespace={f.key === 'namespace' ? undefined : query.namespace}
            label={f.label}
            tooltip={f.tooltip}
            value={query[f.key]}
            testId={testIds.queryEditor[f.key]}
            onChange={(v) => set(f.key, v)}
          />
        ) : null
      )}
      {show('traceId') && (
        <InlineField
          label="Trace ID"
          labelWidth={12}
          tooltip={`Hex trace id as ${datasource.traceStore?.name ?? 'the trace store'} knows it; leading zeros optional.`}
          invalid={traceIdInvalid}
          error="A trace id is 1 to 32 hex digits"
        >
          <Input
            data-testid={testIds.queryEditor.traceId}
            width={40}
            defaultValue={query.traceId ?? ''}
            placeholder="4bf92f3577b34da6a3ce929d0e0e4736"
            onBlur={(e) => set('traceId', e.currentTarget.value.trim() || undefined)}
          />
        </InlineField>
      )}
      {show('search') && (
        <InlineField label="Search" labelWidth={12} tooltip="Free text matched against the rows (or the log line).">
          <Input
            data-testid={testIds.queryEditor.search}
            width={28}
            defaultValue={query.search ?? ''}
            placeholder="e.g. payments or NXDOMAIN"
            onBlur={(e) => set('search', e.currentTarget.value || undefined)}
          />
        </InlineField>
      )}
      {show('kinds') && (
        <InlineField label="Kinds" labelWidth={12} tooltip="Which event kinds to list; none means all.">
          <MultiCombobox
            data-testid={testIds.queryEditor.kinds}
            width={40}
            options={KIND_OPTIONS}
            value={query.kinds ?? []}
            onChange={(opts) => set('kinds', opts.length > 0 ? opts.map((o) => o.value) : undefined)}
          />
        </InlineField>
      )}
      {show('slackMs') && (
        <NumberField
          label="Slack (ms)"
          tooltip="Time added on both sides of a span when matching drops to it."
          testId={testIds.queryEditor.slackMs}
          value={query.slackMs}
          onCommit={(v) => set('slackMs', v)}
        />
      )}
      {show('limit') && (
        <NumberField
          label="Limit"
          tooltip="Maximum rows returned."
          testId={testIds.queryEditor.limit}
          value={query.limit}
          onCommit={(v) => set('limit', v)}
        />
      )}
      {show('asTimeSeries') && (
        <InlineField
          label="Time series"
          labelWidth={12}
          tooltip="Numeric series over time instead of a table (for alerting)."
        >
          <InlineSwitch
            data-testid={testIds.queryEditor.asTimeSeries}
            value={Boolean(query.asTimeSeries)}
            onChange={(e) => set('asTimeSeries', e.currentTarget.checked || undefined)}
          />
        </InlineField>
      )}
      {show('groupBy') && query.asTimeSeries && (
        <InlineField label="Series" labelWidth={12} tooltip="One series per drop reason or per policy.">
          <RadioButtonGroup<DropGrouping>
            data-testid={testIds.queryEditor.groupBy}
            options={GROUP_OPTIONS}
            value={query.groupBy ?? 'reason'}
            onChange={(v) => set('groupBy', v)}
          />
        </InlineField>
      )}
    </Stack>
  );
}

interface NumberFieldProps {
  label: string;
  tooltip: string;
  testId: string;
  value?: number;
  onCommit: (value: number | undefined) => void;
}

function NumberField({ label, tooltip, testId, value, onCommit }: NumberFieldProps) {
  return (
    <InlineField label={label} labelWidth={12} tooltip={tooltip}>
      <Input
        data-testid={testId}
        type="number"
        min={0}
        width={12}
        defaultValue={value ?? ''}
        onBlur={(e) => {
          const parsed = Number.parseInt(e.currentTarget.value, 10);
          onCommit(Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined);
        }}
      />
    </InlineField>
  );
}
