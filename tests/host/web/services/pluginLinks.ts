// The plugin-links hook for the host: the links apps add to an extension point, from the apps' addedLinkConfigs
// (the apps named in grafanaBootData for that point are loaded first), with `configure` applied as Grafana does:
// a frozen copy of the context, undefined hides the link, and a path must stay inside the app's own /a/<id>/.
import { useEffect, useMemo, useState } from 'react';
import {
  PluginExtensionAddedLinkConfig,
  PluginExtensionLink,
  PluginExtensionTypes,
} from '@grafana/data';
import { config, type UsePluginLinksOptions, type UsePluginLinksResult } from '@grafana/runtime';
import { loadAppPlugin } from '../appPlugins';

interface RegisteredLink {
  pluginId: string;
  config: PluginExtensionAddedLinkConfig;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) {
      deepFreeze(child);
    }
  }
  return value;
}

export async function linkConfigsFor(extensionPointId: string): Promise<RegisteredLink[]> {
  const apps = Object.values(config.apps).filter((app) =>
    app.extensions?.addedLinks?.some((link) => link.targets.includes(extensionPointId))
  );
  const registered: RegisteredLink[] = [];
  for (const app of apps) {
    const plugin = await loadAppPlugin(app.id);
    for (const linkConfig of plugin.addedLinkConfigs ?? []) {
      const targets = Array.isArray(linkConfig.targets) ? linkConfig.targets : [linkConfig.targets];
      if (targets.includes(extensionPointId)) {
        registered.push({ pluginId: app.id, config: linkConfig });
      }
    }
  }
  return registered;
}

export function resolveLinks(registered: RegisteredLink[], context: object | undefined, limitPerPlugin?: number): PluginExtensionLink[] {
  const links: PluginExtensionLink[] = [];
  const perPlugin = new Map<string, number>();
  for (const { pluginId, config: link } of registered) {
    if (limitPerPlugin && (perPlugin.get(pluginId) ?? 0) >= limitPerPlugin) {
      continue;
    }
    const frozen = deepFreeze(structuredClone(context ?? {}));
    const overrides = link.configure ? link.configure(frozen as never) : {};
    if (link.configure && overrides === undefined) {
      continue;
    }
    const path = overrides?.path ?? link.path;
    if (path && !path.startsWith(`/a/${pluginId}/`)) {
      console.warn(`extension link "${link.title}" of ${pluginId} leaves the app (${path}); Grafana drops it`);
      continue;
    }
    links.push({
      id: `${pluginId}/${link.title}`,
      type: PluginExtensionTypes.link,
      pluginId,
      title: overrides?.title ?? link.title,
      description: overrides?.description ?? link.description ?? '',
      path,
      icon: overrides?.icon ?? link.icon,
      category: overrides?.category ?? link.category,
      onClick: link.onClick ? (event) => link.onClick?.(event, { context: frozen, openModal: () => undefined } as never) : undefined,
    });
    perPlugin.set(pluginId, (perPlugin.get(pluginId) ?? 0) + 1);
  }
  return links;
}

export function usePluginLinks({ extensionPointId, context, limitPerPlugin }: UsePluginLinksOptions): UsePluginLinksResult {
  const [registered, setRegistered] = useState<RegisteredLink[] | undefined>(undefined);
  useEffect(() => {
    let current = true;
    linkConfigsFor(extensionPointId).then(
      (found) => current && setRegistered(found),
      (err: unknown) => {
        console.warn(`extension links for ${extensionPointId} could not be loaded`, err);
        if (current) {
          setRegistered([]);
        }
      }
    );
    return () => {
      current = false;
    };
  }, [extensionPointId]);
  const links = useMemo(() => (registered ? resolveLinks(registered, context, limitPerPlugin) : []), [registered, context, limitPerPlugin]);
  return { links, isLoading: registered === undefined };
}
