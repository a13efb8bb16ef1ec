import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import { setupUser } from '../../../test/user';
import { ConfigEditor } from './ConfigEditor';
import type { WiretraceSettings } from './settingsUpdates';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  // The picker lists the Grafana datasources of one type; here, none exist yet.
  DataSourcePicker: ({ pluginId }: { pluginId: string }) => <div>{`${pluginId} datasource picker`}</div>,
}));

function baseSettings(patch: Partial<WiretraceSettings> = {}): WiretraceSettings {
  const settings = {
    id: 1,
    uid: 'wiretrace',
    orgId: 1,
    name: 'Wiretrace',
    type: 'wiretrace-correlation-datasource',
    typeName: 'Wiretrace',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    ...patch,
  };
  return settings as WiretraceSettings;
}

// Holds the settings like Grafana's datasource page does, so each change re-renders the editor.
function setup(initial: WiretraceSettings) {
  const changes: WiretraceSettings[] = [];
  function Host() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  return { user: setupUser(), last: () => changes[changes.length - 1] };
}

describe('ConfigEditor', () => {
  it('stores Tempo and Loki URLs in jsonData', async () => {
    const { user, last } = setup(baseSettings());
    await user.type(screen.getByTestId(testIds.configEditor.upstreamUrl('tempo')), 'http://tempo:3200');
    await user.type(screen.getByTestId(testIds.configEditor.upstreamUrl('loki')), 'http://loki:3100');
    expect(last().jsonData.tempo?.url).toBe('http://tempo:3200');
    expect(last().jsonData.loki?.url).toBe('http://loki:3100');
  });

  it('bearer auth keeps the token in secureJsonData only', async () => {
    const { user, last } = setup(baseSettings());
    const tempoAuth = screen.getByTestId(testIds.configEditor.upstreamAuth('tempo'));
    await user.click(within(tempoAuth).getByLabelText('Bearer token'));
    await user.type(await screen.findByLabelText(/^Token/), 's3cret');
    expect(last().jsonData.tempo?.auth).toBe('bearer');
    expect(last().secureJsonData?.tempoToken).toBe('s3cret');
    expect(JSON.stringify(last().jsonData)).not.toContain('s3cret');
  });

  it('shows a configured secret and resets it on request', async () => {
    const { user, last } = setup(
      baseSettings({
        jsonData: { loki: { url: 'http://loki:3100', auth: 'basic', basicAuthUser: 'grafana' } },
        secureJsonFields: { lokiPassword: true },
      })
    );
    expect(screen.getByTestId(testIds.configEditor.upstreamUser('loki'))).toHaveValue('grafana');
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(last().secureJsonFields.lokiPassword).toBe(false);
    expect(last().secureJsonData?.lokiPassword).toBe('');
  });

  it('parses agent URLs one per line and limits as numbers', async () => {
    const { user, last } = setup(baseSettings());
    const urls = screen.getByTestId(testIds.configEditor.agentUrls);
    await user.type(urls, 'http://agent-a:9470{enter}http://agent-b:9470{enter}{enter}http://agent-a:9470');
    await user.tab();
    expect(last().jsonData.agentUrls).toEqual(['http://agent-a:9470', 'http://agent-b:9470']);
    await user.type(screen.getByTestId(testIds.configEditor.timeout), '15000');
    await user.type(screen.getByTestId(testIds.configEditor.tenant), 'team-a');
    expect(last().jsonData.timeoutMs).toBe(15000);
    expect(last().jsonData.tenant).toBe('team-a');
  });

  it('offers picking existing Tempo and Loki datasources', () => {
    setup(baseSettings());
    expect(screen.getByText('tempo datasource picker')).toBeInTheDocument();
    expect(screen.getByText('loki datasource picker')).toBeInTheDocument();
  });

  it('reads application logs from VictoriaLogs when chosen, its token in secureJsonData only', async () => {
    const { user, last } = setup(baseSettings());
    expect(screen.queryByTestId(testIds.configEditor.upstreamUrl('victorialogs'))).not.toBeInTheDocument();
    await user.click(within(screen.getByTestId(testIds.configEditor.logStore)).getByLabelText('VictoriaLogs'));
    expect(last().jsonData.logStore).toBe('victorialogs');
    expect(screen.getByText('victoriametrics-logs-datasource datasource picker')).toBeInTheDocument();
    await user.type(screen.getByTestId(testIds.configEditor.upstreamUrl('victorialogs')), 'http://victorialogs:9428');
    const auth = screen.getByTestId(testIds.configEditor.upstreamAuth('victorialogs'));
    await user.click(within(auth).getByLabelText('Bearer token'));
    await user.type(await screen.findByLabelText(/^Token/), 'vl-s3cret');
    expect(last().jsonData.victorialogs).toEqual({ url: 'http://victorialogs:9428', auth: 'bearer' });
    expect(last().secureJsonData?.victorialogsToken).toBe('vl-s3cret');
    expect(JSON.stringify(last().jsonData)).not.toContain('vl-s3cret');
  });
});
