// Plugin modules loaded as Grafana 12 loads them: SystemJS with the AMD and named-register extras, the shared
// dependencies in its registry under an import map, and a module whose export is a Promise (top-level await) unwrapped.
import { sharedDependencies } from './sharedDependencies';

interface SystemJsLoader {
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<Record<string, unknown>>;
}

declare global {
  interface Window {
    System: SystemJsLoader;
  }
}

const PREFIX = 'package:';

export function registerSharedDependencies(): void {
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(sharedDependencies)) {
    imports[name] = `${PREFIX}${name}`;
    // __useDefault: the AMD extra hands the plugin the package object itself, not a namespace copy of it.
    window.System.set(`${PREFIX}${name}`, { default: module, __useDefault: true });
  }
  window.System.addImportMap({ imports });
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** Imports a plugin's module.js by path (public/plugins/…), once per page. */
export function importPluginModule(path: string): Promise<Record<string, unknown>> {
  let loading = modules.get(path);
  if (!loading) {
    loading = window.System.import(`/${path.replace(/^\//, '')}`).then(async (exported) => {
      const value = exported.default as unknown;
      if (value && typeof (value as Promise<unknown>).then === 'function') {
        return (await value) as Record<string, unknown>;
      }
      return exported;
    });
    modules.set(path, loading);
  }
  return loading;
}
