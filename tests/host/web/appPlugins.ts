// App plugins loaded as Grafana loads them: the settings from /api/plugins/<id>/settings, module.js through
// SystemJS, then plugin.init(meta); once per page, shared by the app's pages and the extension registry.
import type { AppPlugin, AppPluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { importPluginModule } from './systemLoader';

const apps = new Map<string, Promise<AppPlugin>>();

export function loadAppPlugin(pluginId: string): Promise<AppPlugin> {
  let loading = apps.get(pluginId);
  if (!loading) {
    loading = (async () => {
      const meta = await getBackendSrv().get<AppPluginMeta>(`/api/plugins/${pluginId}/settings`);
      const exported = await importPluginModule(meta.module);
      const plugin = exported.plugin as AppPlugin | undefined;
      if (!plugin || typeof plugin.init !== 'function') {
        throw new Error(`${meta.module} exports no app plugin`);
      }
      plugin.meta = meta;
      plugin.init(meta);
      return plugin;
    })();
    apps.set(pluginId, loading);
  }
  return loading;
}
