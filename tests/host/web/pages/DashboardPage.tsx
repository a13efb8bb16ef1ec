// /d/:uid: a provisioned dashboard loaded from /api/dashboards/uid/<uid> and rendered as a scene with its URL state.
import React, { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { getBackendSrv } from '@grafana/runtime';
import { EmbeddedScene, UrlSyncContextProvider } from '@grafana/scenes';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { DashboardJson, dashboardScene } from './dashboardScene';

interface LinkJson {
  title: string;
  url: string;
}

export function DashboardPage() {
  const { uid = '' } = useParams();
  const [state, setState] = useState<{ scene?: EmbeddedScene; dashboard?: DashboardJson & { links?: LinkJson[] }; error?: string }>({});
  useEffect(() => {
    getBackendSrv()
      .get<{ dashboard: DashboardJson }>(`/api/dashboards/uid/${uid}`)
      .then(
        ({ dashboard }) => setState({ dashboard, scene: dashboardScene(dashboard) }),
        (err: { data?: { message?: string } }) => setState({ error: err.data?.message ?? String(err) })
      );
  }, [uid]);
  if (state.error) {
    return (
      <Alert severity="error" title={`Dashboard ${uid} could not be loaded`}>
        {state.error}
      </Alert>
    );
  }
  if (!state.scene || !state.dashboard) {
    return <LoadingPlaceholder text="Loading dashboard…" />;
  }
  return (
    <div data-testid="host-dashboard" style={{ height: '100%' }}>
      <h2>{state.dashboard.title}</h2>
      <div style={{ marginBottom: 8 }}>
        {(state.dashboard.links ?? []).map((link) => (
          <a key={link.title} href={link.url} data-testid="host-dashboard-link" style={{ marginRight: 16 }}>
            {link.title}
          </a>
        ))}
      </div>
      <UrlSyncContextProvider scene={state.scene} updateUrlOnInit createBrowserHistorySteps>
        <state.scene.Component model={state.scene} />
      </UrlSyncContextProvider>
    </div>
  );
}
