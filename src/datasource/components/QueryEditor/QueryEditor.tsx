import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, Stack } from '@grafana/ui';
import { DEFAULT_QUERY, QUERY_TYPES, QueryType } from '../../../../model/query';
import { testIds } from '../../../components/testIds';
import { DataSource } from '../../datasource';
import { withQueryType } from '../../query/describeQuery';
import { QUERY_TYPE_LABELS } from '../../query/queryFields';
import { WiretraceJsonData, WiretraceQuery } from '../../types';
import { QueryFilters } from './QueryFilters';

type Props = QueryEditorProps<DataSource, WiretraceQuery, WiretraceJsonData>;

const QUERY_TYPE_OPTIONS: Array<ComboboxOption<QueryType>> = QUERY_TYPES.map((t) => ({
  value: t,
  label: QUERY_TYPE_LABELS[t].label,
  description: QUERY_TYPE_LABELS[t].description,
}));

export function QueryEditor({ query, datasource, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? DEFAULT_QUERY.queryType;
  const update = (next: WiretraceQuery, run = true) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };
  return (
    <Stack direction="column" gap={0.5}>
      <InlineField label="Query type" labelWidth={12} tooltip="What to ask: each type has its own filters and frames.">
        <Combobox
          data-testid={testIds.queryEditor.queryType}
          width={28}
          options={QUERY_TYPE_OPTIONS}
          value={queryType}
          onChange={(option) => update(withQueryType(query, option.value))}
        />
      </InlineField>
      <QueryFilters query={{ ...query, queryType }} datasource={datasource} onChange={update} />
    </Stack>
  );
}
