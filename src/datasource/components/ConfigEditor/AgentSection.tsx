import React from 'react';
import { Field, FieldSet, SecretInput, TextArea } from '@grafana/ui';
import { testIds } from '../../../components/testIds';
import { parseAgentUrls, resetSecret, setJsonData, setSecret, WiretraceSettings } from './settingsUpdates';

interface Props {
  options: WiretraceSettings;
  onOptionsChange: (options: WiretraceSettings) => void;
}

export function AgentSection({ options, onOptionsChange }: Props) {
  const urls = options.jsonData.agentUrls ?? [];
  return (
    <FieldSet label="Capture agents">
      <Field
        label="Agent URLs"
        description="One per line: each agent, or the agents' Kubernetes Service. Recent events are read from them; older ones from Loki."
      >
        <TextArea
          data-testid={testIds.configEditor.agentUrls}
          rows={3}
          cols={50}
          defaultValue={urls.join('\n')}
          placeholder="http://wiretrace-agent.wiretrace.svc:9470"
          onBlur={(e) => onOptionsChange(setJsonData(options, 'agentUrls', parseAgentUrls(e.currentTarget.value)))}
        />
      </Field>
      <Field label="Agent token" description="Bearer token the agents require when not bound to loopback.">
        <SecretInput
          data-testid={testIds.configEditor.agentToken}
          width={40}
          isConfigured={Boolean(options.secureJsonFields?.agentToken)}
          value={options.secureJsonData?.agentToken ?? ''}
          onChange={(e) => onOptionsChange(setSecret(options, 'agentToken', e.currentTarget.value))}
          onReset={() => onOptionsChange(resetSecret(options, 'agentToken'))}
        />
      </Field>
    </FieldSet>
  );
}
