import React, { ReactNode } from 'react';
import { DataSourceInstanceSettings } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput } from '@grafana/ui';
import type { UpstreamAuth } from '../../../../model/settings';
import { testIds } from '../../../components/testIds';
import { resetSecret, secretKeyFor, setSecret, setUpstream, UpstreamName, WiretraceSettings } from './settingsUpdates';

interface Props {
  upstream: UpstreamName;
  // The Grafana datasource type the picker lists, when it is not the upstream's own name.
  pluginId?: string;
  title: string;
  placeholder: string;
  options: WiretraceSettings;
  onOptionsChange: (options: WiretraceSettings) => void;
  // Fields only this upstream has, shown after its URL.
  children?: ReactNode;
}

const AUTH_OPTIONS: Array<{ label: string; value: UpstreamAuth }> = [
  { label: 'No auth', value: 'none' },
  { label: 'Basic', value: 'basic' },
  { label: 'Bearer token', value: 'bearer' },
];

export function UpstreamSection({ upstream, pluginId, title, placeholder, options, onOptionsChange, children }: Props) {
  const settings = options.jsonData[upstream] ?? {};
  const auth = settings.auth ?? 'none';
  const secretKey = auth === 'none' ? undefined : secretKeyFor(upstream, auth);
  const onPickDatasource = (ds: DataSourceInstanceSettings) => {
    // The picked datasource's URL is a good default when none is set yet.
    const url = settings.url || ds.url;
    onOptionsChange(setUpstream(options, upstream, { datasourceUid: ds.uid, url }));
  };

  return (
    <FieldSet label={title}>
      <Field
        label={`${title} datasource`}
        description={`An existing ${title} datasource: trace ids and log links open in it.`}
      >
        <div data-testid={testIds.configEditor.upstreamDatasource(upstream)}>
          <DataSourcePicker
            pluginId={pluginId ?? upstream}
            current={settings.datasourceUid ?? null}
            noDefault
            width={40}
            onChange={onPickDatasource}
            onClear={() => onOptionsChange(setUpstream(options, upstream, { datasourceUid: undefined }))}
          />
        </div>
      </Field>
      <Field label="URL" description={`Where the backend reaches ${title} from the Grafana server.`}>
        <Input
          id={`${upstream}-url`}
          data-testid={testIds.configEditor.upstreamUrl(upstream)}
          width={40}
          value={settings.url ?? ''}
          placeholder={placeholder}
          onChange={(e) => onOptionsChange(setUpstream(options, upstream, { url: e.currentTarget.value }))}
        />
      </Field>
      {children}
      <Field label="Authentication">
        <div data-testid={testIds.configEditor.upstreamAuth(upstream)}>
          <RadioButtonGroup<UpstreamAuth>
            options={AUTH_OPTIONS}
            value={auth}
            onChange={(value) => onOptionsChange(setUpstream(options, upstream, { auth: value }))}
          />
        </div>
      </Field>
      {auth === 'basic' && (
        <Field label="User">
          <Input
            data-testid={testIds.configEditor.upstreamUser(upstream)}
            width={40}
            value={settings.basicAuthUser ?? ''}
            onChange={(e) => onOptionsChange(setUpstream(options, upstream, { basicAuthUser: e.currentTarget.value }))}
          />
        </Field>
      )}
      {secretKey && (
        <Field
          label={auth === 'basic' ? 'Password' : 'Token'}
          description="Stored encrypted; never sent to the browser."
        >
          <SecretInput
            id={`${upstream}-${secretKey}`}
            width={40}
            isConfigured={Boolean(options.secureJsonFields?.[secretKey])}
            value={options.secureJsonData?.[secretKey] ?? ''}
            onChange={(e) => onOptionsChange(setSecret(options, secretKey, e.currentTarget.value))}
            onReset={() => onOptionsChange(resetSecret(options, secretKey))}
          />
        </Field>
      )}
    </FieldSet>
  );
}
