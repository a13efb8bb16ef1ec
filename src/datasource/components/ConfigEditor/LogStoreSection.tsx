// The log store application logs are read from: Loki (default) or VictoriaLogs, each with its URL, auth and links.
import React from 'react';
import { Field, FieldSet, RadioButtonGroup } from '@grafana/ui';
import type { LogStoreKind } from '../../../../model/settings';
import { testIds } from '../../../components/testIds';
import { setLogStore, WiretraceSettings } from './settingsUpdates';
import { UpstreamSection } from './UpstreamSection';

interface Props {
  options: WiretraceSettings;
  onOptionsChange: (options: WiretraceSettings) => void;
}

const STORE_OPTIONS: Array<{ label: string; value: LogStoreKind }> = [
  { label: 'Loki', value: 'loki' },
  { label: 'VictoriaLogs', value: 'victorialogs' },
];

export function LogStoreSection({ options, onOptionsChange }: Props) {
  const store = options.jsonData.logStore ?? 'loki';
  return (
    <>
      <FieldSet label="Logs">
        <Field
          label="Log store"
          description="Where application logs (by trace id and around drops) are read from. The agents' durable events are read from Loki."
        >
          <div data-testid={testIds.configEditor.logStore}>
            <RadioButtonGroup<LogStoreKind>
              options={STORE_OPTIONS}
              value={store}
              onChange={(value) => onOptionsChange(setLogStore(options, value))}
            />
          </div>
        </Field>
      </FieldSet>
      <UpstreamSection
        upstream="loki"
        title="Loki"
        placeholder="http://loki:3100"
        options={options}
        onOptionsChange={onOptionsChange}
      />
      {store === 'victorialogs' && (
        <UpstreamSection
          upstream="victorialogs"
          pluginId="victoriametrics-logs-datasource"
          title="VictoriaLogs"
          placeholder="http://victorialogs:9428"
          options={options}
          onOptionsChange={onOptionsChange}
        />
      )}
    </>
  );
}
