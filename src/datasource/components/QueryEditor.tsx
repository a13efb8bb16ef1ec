import React from 'react';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';
import { QueryEditorProps } from '@grafana/data';
import { QUERY_TYPES, QueryType } from '../../../model/query';
import { DataSource } from '../datasource';
import { WiretraceJsonData, WiretraceQuery } from '../types';

type Props = QueryEditorProps<DataSource, WiretraceQuery, WiretraceJsonData>;

const options: Array<ComboboxOption<QueryType>> = QUERY_TYPES.map((t) => ({ label: t, value: t }));

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  return (
    <InlineField label="Query type" labelWidth={14}>
      <Combobox
        width={24}
        options={options}
        value={query.queryType ?? null}
        onChange={(v) => {
          onChange({ ...query, queryType: v.value });
          onRunQuery();
        }}
      />
    </InlineField>
  );
}
