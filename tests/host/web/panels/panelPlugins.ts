// setPluginImportUtils for the host: every panel id resolves to a labelled stand-in PanelPlugin (Grafana's core
// panels are AGPL and are not loaded), cached so scenes' synchronous lookup finds it.
import { PanelPlugin, PanelPluginMeta, PluginType } from '@grafana/data';
import { config } from '@grafana/runtime';
import { standInPanel } from './StandInPanel';

const cache = new Map<string, PanelPlugin>();

export function standInPanelPlugin(id: string): PanelPlugin {
  let plugin = cache.get(id);
  if (!plugin) {
    plugin = new PanelPlugin(standInPanel(id));
    const meta = config.panels[id] as PanelPluginMeta | undefined;
    plugin.meta = meta ?? {
      id,
      name: `${id} (stand-in)`,
      type: PluginType.panel,
      sort: 100,
      module: `core:plugin/${id}`,
      baseUrl: '',
      info: { author: { name: '' }, description: '', links: [], logos: { small: '', large: '' }, screenshots: [], updated: '', version: '' },
    };
    cache.set(id, plugin);
  }
  return plugin;
}

export const pluginImportUtils = {
  importPanelPlugin: async (id: string) => standInPanelPlugin(id),
  getPanelPluginFromCache: (id: string) => standInPanelPlugin(id),
};
