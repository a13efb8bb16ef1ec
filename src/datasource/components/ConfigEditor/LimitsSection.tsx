import React from 'react';
import { Field, FieldSet, Input } from '@grafana/ui';
import type { WiretraceJsonData } from '../../types';
import { testIds } from '../../../components/testIds';
import { parsePositiveInt, setJsonData, WiretraceSettings } from './settingsUpdates';

interface Props {
  options: WiretraceSettings;
  onOptionsChange: (options: WiretraceSettings) => void;
}

type NumericKey = 'timeoutMs' | 'maxRows' | 'maxConcurrency';

const NUMERIC_FIELDS: Array<{
  key: NumericKey;
  label: string;
  description: string;
  placeholder: string;
  testId: string;
}> = [
  {
    key: 'timeoutMs',
    label: 'Timeout (ms)',
    description: 'Per upstream request.',
    placeholder: '30000',
    testId: testIds.configEditor.timeout,
  },
  {
    key: 'maxRows',
    label: 'Max rows',
    description: 'Upper bound on rows any query returns.',
    placeholder: '5000',
    testId: testIds.configEditor.maxRows,
  },
  {
    key: 'maxConcurrency',
    label: 'Max concurrency',
    description: 'Parallel requests to agents and upstreams per query.',
    placeholder: '8',
    testId: testIds.configEditor.maxConcurrency,
  },
];

export function LimitsSection({ options, onOptionsChange }: Props) {
  const jsonData: WiretraceJsonData = options.jsonData;
  return (
    <FieldSet label="Tenant and limits">
      <Field label="Tenant" description="Sent as X-Scope-OrgID to Tempo and Loki; empty for single-tenant setups.">
        <Input
          data-testid={testIds.configEditor.tenant}
          width={40}
          value={jsonData.tenant ?? ''}
          onChange={(e) => onOptionsChange(setJsonData(options, 'tenant', e.currentTarget.value || undefined))}
        />
      </Field>
      {NUMERIC_FIELDS.map((f) => (
        <Field key={f.key} label={f.label} description={f.description}>
          <Input
            data-testid={f.testId}
            type="number"
            min={1}
            width={16}
            value={jsonData[f.key] ?? ''}
            placeholder={f.placeholder}
            onChange={(e) => onOptionsChange(setJsonData(options, f.key, parsePositiveInt(e.currentTarget.value)))}
          />
        </Field>
      ))}
      <Field label="Events stream selector" description="LogQL selector of the agents' durable events in Loki.">
        <Input
          data-testid={testIds.configEditor.eventsSelector}
          width={40}
          value={jsonData.eventsStreamSelector ?? ''}
          placeholder='{service_name="wiretrace-agent"}'
          onChange={(e) =>
            onOptionsChange(setJsonData(options, 'eventsStreamSelector', e.currentTarget.value || undefined))
          }
        />
      </Field>
    </FieldSet>
  );
}
