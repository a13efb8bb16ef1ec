// The test host's page: Grafana's runtime services set through @grafana/runtime's own setters, the shared
// dependencies registered in SystemJS, then the shell with its router. grafanaBootData is set by /host/boot.js first.
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AppEvents, EventBusSrv } from '@grafana/data';
import {
  config,
  locationService,
  LocationServiceProvider,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setEchoSrv,
  setLocationSrv,
  setPluginImportUtils,
  setPluginLinksHook,
  setRunRequest,
  setTemplateSrv,
  type EchoSrv,
} from '@grafana/runtime';
import { Alert, GlobalStyles, PortalContainer } from '@grafana/ui';
import { ThemeContext } from '@grafana/data';
import { HostNav } from './pages/HostNav';
import { HostRouter } from './pages/HostRouter';
import { pluginImportUtils } from './panels/panelPlugins';
import { createBackendSrv } from './services/backendSrv';
import { HostDataSourceSrv } from './services/dataSourceSrv';
import { usePluginLinks } from './services/pluginLinks';
import { runRequest } from './services/runRequest';
import { createTemplateSrv } from './services/templateSrv';
import { registerStandardTransformers } from './services/transformers';
import { registerSharedDependencies } from './systemLoader';

const appEvents = new EventBusSrv();
// logDebug is not in the published EchoSrv type, but Grafana's own service has it and callers use it.
const echoSrv = {
  flush: () => undefined,
  addBackend: () => undefined,
  addEvent: () => undefined,
  logDebug: () => undefined,
} as EchoSrv;

setBackendSrv(createBackendSrv());
setDataSourceSrv(new HostDataSourceSrv());
setTemplateSrv(createTemplateSrv());
setRunRequest(runRequest);
setLocationSrv(locationService);
setAppEvents(appEvents);
setEchoSrv(echoSrv);
setPluginLinksHook(usePluginLinks);
setPluginImportUtils(pluginImportUtils);
registerStandardTransformers();
registerSharedDependencies();

interface Notice {
  id: number;
  severity: 'error' | 'warning' | 'success';
  text: string;
}

// appEvents alerts, shown as Grafana's notifications are.
function Notifications() {
  const [notices, setNotices] = useState<Notice[]>([]);
  useEffect(() => {
    let id = 0;
    const show = (severity: Notice['severity']) => (event: { payload: unknown[] }) =>
      setNotices((list) => [...list, { id: ++id, severity, text: event.payload.map(String).join(': ') }]);
    const subs = [
      appEvents.subscribe(AppEvents.alertError as never, show('error') as never),
      appEvents.subscribe(AppEvents.alertWarning as never, show('warning') as never),
      appEvents.subscribe(AppEvents.alertSuccess as never, show('success') as never),
    ];
    return () => subs.forEach((s) => s.unsubscribe());
  }, []);
  return (
    <div style={{ position: 'fixed', top: 8, right: 8, zIndex: 1000, width: 420 }}>
      {notices.map((n) => (
        <Alert key={n.id} severity={n.severity} title={n.text} data-testid="host-notification" onRemove={() => setNotices((l) => l.filter((x) => x.id !== n.id))} />
      ))}
    </div>
  );
}

const APP_ID = Object.keys(config.apps)[0];

function Host() {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <LocationServiceProvider service={locationService}>
      <GlobalStyles />
      <div style={{ display: 'flex', flexDirection: 'column', minHeight: '100vh' }}>
        <HostNav appId={APP_ID} />
        <main style={{ flex: 1, padding: 16 }}>
          <HostRouter defaultPath={`/a/${APP_ID}/overview`} />
        </main>
      </div>
      <Notifications />
      <PortalContainer />
      </LocationServiceProvider>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('reactRoot')!).render(<Host />);
