// /a/:pluginId/* as Grafana renders it: the app loaded and initialised, its root given AppRootProps inside the
// plugin's context, under the router that runs on locationService's history.
import React, { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import { AppPlugin, PluginContextProvider, urlUtil } from '@grafana/data';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { loadAppPlugin } from '../appPlugins';

export function AppRootPage() {
  const { pluginId = '' } = useParams();
  const location = useLocation();
  const [state, setState] = useState<{ plugin?: AppPlugin; error?: Error }>({});
  useEffect(() => {
    let current = true;
    loadAppPlugin(pluginId).then(
      (plugin) => current && setState({ plugin }),
      (error: Error) => current && setState({ error })
    );
    return () => {
      current = false;
    };
  }, [pluginId]);
  if (state.error) {
    return (
      <Alert severity="error" title={`App plugin ${pluginId} failed to load`} data-testid="host-app-error">
        {state.error.message}
      </Alert>
    );
  }
  const plugin = state.plugin;
  if (!plugin?.root) {
    return <LoadingPlaceholder text={`Loading ${pluginId}…`} />;
  }
  const Root = plugin.root;
  return (
    <PluginContextProvider meta={plugin.meta}>
      <Root
        meta={plugin.meta}
        basename={`/a/${pluginId}`}
        path={location.pathname}
        query={urlUtil.getUrlSearchParams() as Record<string, string>}
        onNavChanged={() => undefined}
      />
    </PluginContextProvider>
  );
}
