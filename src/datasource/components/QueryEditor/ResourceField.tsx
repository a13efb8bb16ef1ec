import React from 'react';
import { Combobox, InlineField } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { ResourceName } from '../../resources/resourceOptions';
import { useResourceOptions } from './useResourceOptions';

interface Props {
  datasource: DataSource;
  resource: ResourceName;
  label: string;
  tooltip: string;
  value?: string;
  namespace?: string;
  testId: string;
  onChange: (value: string | undefined) => void;
}

// A filter whose options come from a resource route; free text stays allowed for variables like $namespace.
export function ResourceField({ datasource, resource, label, tooltip, value, namespace, testId, onChange }: Props) {
  const { options, loading, error } = useResourceOptions(datasource, resource, namespace);
  return (
    <InlineField label={label} labelWidth={12} tooltip={tooltip} invalid={Boolean(error)} error={error}>
      <Combobox
        data-testid={testId}
        width={28}
        options={options}
        loading={loading}
        value={value ?? null}
        placeholder={`Any ${label.toLowerCase()}`}
        createCustomValue
        isClearable
        onChange={(option) => onChange(option?.value || undefined)}
      />
    </InlineField>
  );
}
