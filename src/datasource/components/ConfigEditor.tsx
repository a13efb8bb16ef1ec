import React, { ChangeEvent } from 'react';
import { InlineField, Input } from '@grafana/ui';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { WiretraceJsonData, WiretraceSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<WiretraceJsonData, WiretraceSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const setUrl = (key: 'tempo' | 'loki') => (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: { ...jsonData[key], url: e.target.value } } });
  return (
    <>
      <InlineField label="Tempo URL" labelWidth={16}>
        <Input width={40} value={jsonData.tempo?.url ?? ''} onChange={setUrl('tempo')} placeholder="http://tempo:3200" />
      </InlineField>
      <InlineField label="Loki URL" labelWidth={16}>
        <Input width={40} value={jsonData.loki?.url ?? ''} onChange={setUrl('loki')} placeholder="http://loki:3100" />
      </InlineField>
    </>
  );
}
