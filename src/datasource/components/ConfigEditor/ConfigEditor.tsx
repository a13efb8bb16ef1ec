import React from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, Stack } from '@grafana/ui';
import { WiretraceJsonData, WiretraceSecureJsonData } from '../../types';
import { AgentSection } from './AgentSection';
import { LimitsSection } from './LimitsSection';
import { LogStoreSection } from './LogStoreSection';
import { TraceStoreSection } from './TraceStoreSection';

type Props = DataSourcePluginOptionsEditorProps<WiretraceJsonData, WiretraceSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  return (
    <Stack direction="column" gap={2}>
      <Alert severity="info" title="How Wiretrace reads its data">
        Spans come from Tempo or Jaeger, application logs from Loki or VictoriaLogs, durable network events from Loki,
        recent network events from the capture agents. Save &amp; test checks each of them and lists the result per
        upstream.
      </Alert>
      <TraceStoreSection options={options} onOptionsChange={onOptionsChange} />
      <LogStoreSection options={options} onOptionsChange={onOptionsChange} />
      <AgentSection options={options} onOptionsChange={onOptionsChange} />
      <LimitsSection options={options} onOptionsChange={onOptionsChange} />
    </Stack>
  );
}
