import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import { setupUser } from '../../../test/user';
import { ConfigEditor } from './ConfigEditor';
import type { WiretraceSettings } from './settingsUpdates';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  // Picking a datasource of the given type; the button stands for choosing the first one listed.
  DataSourcePicker: ({
    pluginId,
    onChange,
  }: {
    pluginId: string;
    onChange: (ds: { uid: string; url: string }) => void;
  }) => (
    <button
      onClick={() => onChange({ uid: `${pluginId}-uid`, url: `http://${pluginId}:16686` })}
    >{`pick ${pluginId}`}</button>
  ),
}));

function settings(jsonData: WiretraceSettings['jsonData'] = {}): WiretraceSettings {
  return {
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
    jsonData,
    secureJsonFields: {},
  } as WiretraceSettings;
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

describe('trace store in the config editor', () => {
  it('shows Tempo by default and switches to Jaeger with its own URL, gRPC URL and datasource', async () => {
    const { user, last } = setup(settings());
    expect(await screen.findByTestId(testIds.configEditor.upstreamUrl('tempo'))).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.configEditor.upstreamUrl('jaeger'))).not.toBeInTheDocument();

    await user.click(within(screen.getByTestId(testIds.configEditor.traceStore)).getByLabelText('Jaeger'));
    expect(last().jsonData.traceStore).toBe('jaeger');
    const url = await screen.findByTestId(testIds.configEditor.upstreamUrl('jaeger'));
    expect(screen.queryByTestId(testIds.configEditor.upstreamUrl('tempo'))).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'pick jaeger' }));
    expect(last().jsonData.jaeger).toEqual({ datasourceUid: 'jaeger-uid', url: 'http://jaeger:16686' });
    await user.clear(url);
    await user.type(url, 'http://jaeger-query:16686');
    await user.type(screen.getByTestId(testIds.configEditor.jaegerGrpcUrl), 'http://jaeger-query:16685');
    expect(last().jsonData.jaeger).toEqual({
      datasourceUid: 'jaeger-uid',
      url: 'http://jaeger-query:16686',
      grpcUrl: 'http://jaeger-query:16685',
    });
  });

  it('keeps a Jaeger token in secureJsonData only', async () => {
    const { user, last } = setup(settings({ traceStore: 'jaeger', jaeger: { url: 'http://jaeger:16686' } }));
    await user.click(
      within(await screen.findByTestId(testIds.configEditor.upstreamAuth('jaeger'))).getByLabelText('Bearer token')
    );
    await user.type(await screen.findByLabelText(/^Token/), 'j-s3cret');
    expect(last().jsonData.jaeger?.auth).toBe('bearer');
    expect(last().secureJsonData?.jaegerToken).toBe('j-s3cret');
    expect(JSON.stringify(last().jsonData)).not.toContain('j-s3cret');
  });

  it('leaves the Tempo settings in place when Jaeger is chosen and back', async () => {
    const { user, last } = setup(settings({ tempo: { url: 'http://tempo:3200', datasourceUid: 'tempo-uid' } }));
    const store = await screen.findByTestId(testIds.configEditor.traceStore);
    await user.click(within(store).getByLabelText('Jaeger'));
    await user.click(within(store).getByLabelText('Tempo'));
    expect(last().jsonData).toEqual({
      traceStore: 'tempo',
      tempo: { url: 'http://tempo:3200', datasourceUid: 'tempo-uid' },
    });
    expect(await screen.findByTestId(testIds.configEditor.upstreamUrl('tempo'))).toHaveValue('http://tempo:3200');
  });
});
