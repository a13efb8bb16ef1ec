// Grafana's dataSourceSrv for the host: instances from grafanaBootData; a plugin datasource is built from its
// module.js, loaded through SystemJS like the app; core datasources (Tempo, Jaeger, Loki…) are named stand-ins.
import { Observable, of } from 'rxjs';
import {
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourceRef,
  ScopedVars,
} from '@grafana/data';
import { config, type DataSourceSrv, getTemplateSrv } from '@grafana/runtime';
import { importPluginModule } from '../systemLoader';

/** A core datasource of Grafana the host does not carry: it answers with an error naming itself. */
class CoreDatasourceStandIn extends DataSourceApi {
  query(request: DataQueryRequest): Observable<DataQueryResponse> {
    return of({
      data: [],
      error: { message: `${this.type} is a core Grafana datasource; the test host shows its links but does not query it` },
      key: request.requestId,
    });
  }
  async testDatasource() {
    return { status: 'error', message: `${this.type} is not served by the test host` };
  }
}

function allSettings(): DataSourceInstanceSettings[] {
  return Object.values(config.datasources);
}

export class HostDataSourceSrv implements DataSourceSrv {
  private readonly instances = new Map<string, Promise<DataSourceApi>>();

  getInstanceSettings(ref?: string | DataSourceRef | null, scopedVars?: ScopedVars): DataSourceInstanceSettings | undefined {
    let key = typeof ref === 'string' ? ref : ref?.uid;
    if (key === undefined || key === null || key === 'default') {
      return allSettings().find((d) => d.isDefault);
    }
    key = getTemplateSrv().replace(key, scopedVars);
    return allSettings().find((d) => d.uid === key || d.name === key);
  }

  getList(filters: { pluginId?: string; type?: string | string[]; tracing?: boolean; logs?: boolean; metrics?: boolean } = {}) {
    const types = filters.type === undefined ? undefined : Array.isArray(filters.type) ? filters.type : [filters.type];
    return allSettings()
      .filter((d) => !filters.pluginId || d.meta.id === filters.pluginId)
      .filter((d) => !types || types.includes(d.type))
      .filter((d) => !filters.tracing || d.meta.tracing)
      .filter((d) => !filters.logs || d.meta.logs)
      .filter((d) => !filters.metrics || d.meta.metrics);
  }

  get(ref?: string | DataSourceRef | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref, scopedVars);
    if (!settings) {
      const name = typeof ref === 'string' ? ref : ref?.uid;
      return Promise.reject(new Error(`Datasource ${name} was not found`));
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      instance = this.load(settings);
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }

  private async load(settings: DataSourceInstanceSettings): Promise<DataSourceApi> {
    if (settings.meta.module.startsWith('core:')) {
      return new CoreDatasourceStandIn(settings);
    }
    const exported = await importPluginModule(settings.meta.module);
    const plugin = exported.plugin as DataSourcePlugin<DataSourceApi>;
    if (!plugin?.DataSourceClass) {
      throw new Error(`${settings.meta.module} exports no datasource plugin`);
    }
    plugin.meta = settings.meta;
    const instance = new plugin.DataSourceClass(settings);
    instance.components = plugin.components;
    instance.meta = settings.meta;
    return instance;
  }

  /** The datasource plugin itself (editors), loaded the same way. */
  async plugin(settings: DataSourceInstanceSettings): Promise<DataSourcePlugin<DataSourceApi>> {
    const exported = await importPluginModule(settings.meta.module);
    return exported.plugin as DataSourcePlugin<DataSourceApi>;
  }

  /** Drops a built instance, so saved settings build a new one (Grafana reloads its datasources). */
  forget(uid: string) {
    this.instances.delete(uid);
  }

  reload() {}

  registerRuntimeDataSource(): void {
    throw new Error('runtime datasources are not supported by the test host');
  }
}
