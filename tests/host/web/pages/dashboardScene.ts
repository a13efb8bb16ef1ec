// A provisioned dashboard's JSON as a scene: its variables, time range and panels (each panel's targets in a
// SceneQueryRunner, its type resolved through the panel plugins), laid out by gridPos rows.
import {
  ConstantVariable,
  CustomVariable,
  DataSourceVariable,
  EmbeddedScene,
  QueryVariable,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObject,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariable,
  SceneVariableSet,
  TextBoxVariable,
  VariableValueSelectors,
  VizPanel,
  type SceneDataQuery,
} from '@grafana/scenes';
import type { DataQuery, DataSourceRef } from '@grafana/data';

// Grafana's grid: 30 px rows, 24 columns.
const ROW_PX = 30;

export interface DashboardPanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: DataSourceRef;
  targets?: DataQuery[];
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
}

interface VariableJson {
  name: string;
  label?: string;
  type: string;
  query?: string | Record<string, unknown>;
  datasource?: DataSourceRef;
  includeAll?: boolean;
  allValue?: string;
  multi?: boolean;
  current?: { value?: string | string[]; text?: string | string[] };
}

export interface DashboardJson {
  uid: string;
  title: string;
  time?: { from: string; to: string };
  templating?: { list: VariableJson[] };
  panels: DashboardPanelJson[];
}

function variable(v: VariableJson): SceneVariable | undefined {
  const common = { name: v.name, label: v.label };
  const current = v.current?.value !== undefined ? { value: v.current.value, text: v.current.text ?? v.current.value } : {};
  switch (v.type) {
    case 'datasource':
      return new DataSourceVariable({ ...common, pluginId: String(v.query ?? '') });
    case 'query':
      return new QueryVariable({
        ...common,
        ...current,
        datasource: v.datasource,
        // A plugin's variable query is its own JSON object (with or without a refId), as Grafana stores it.
        query: (v.query ?? '') as string | SceneDataQuery,
        includeAll: v.includeAll,
        allValue: v.allValue,
        isMulti: v.multi,
      });
    case 'custom':
      return new CustomVariable({ ...common, ...current, query: String(v.query ?? ''), includeAll: v.includeAll, isMulti: v.multi });
    case 'textbox':
      return new TextBoxVariable({ ...common, value: String(v.current?.value ?? v.query ?? '') });
    case 'constant':
      return new ConstantVariable({ ...common, value: String(v.query ?? '') });
    default:
      return undefined;
  }
}

function panel(p: DashboardPanelJson): VizPanel {
  return new VizPanel({
    key: `panel-${p.id}`,
    title: p.title,
    description: p.description,
    pluginId: p.type,
    options: p.options ?? {},
    fieldConfig: (p.fieldConfig ?? { defaults: {}, overrides: [] }) as never,
    $data: p.targets?.length ? new SceneQueryRunner({ datasource: p.datasource, queries: p.targets, maxDataPoints: 500 }) : undefined,
  });
}

export function dashboardScene(dashboard: DashboardJson): EmbeddedScene {
  const variables = (dashboard.templating?.list ?? []).map(variable).filter((v): v is SceneVariable => v !== undefined);
  const rows = new Map<number, DashboardPanelJson[]>();
  for (const p of dashboard.panels.filter((p) => p.type !== 'row')) {
    rows.set(p.gridPos.y, [...(rows.get(p.gridPos.y) ?? []), p]);
  }
  const children: SceneObject[] = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([, panels]) =>
        new SceneFlexItem({
          height: Math.max(...panels.map((p) => p.gridPos.h)) * ROW_PX,
          body: new SceneFlexLayout({
            direction: 'row',
            children: panels
              .sort((a, b) => a.gridPos.x - b.gridPos.x)
              .map((p) => new SceneFlexItem({ width: `${(p.gridPos.w / 24) * 100}%`, body: panel(p) })),
          }),
        })
    );
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: dashboard.time?.from ?? 'now-1h', to: dashboard.time?.to ?? 'now' }),
    $variables: new SceneVariableSet({ variables }),
    controls: [new VariableValueSelectors({}), new SceneTimePicker({}), new SceneRefreshPicker({})],
    body: new SceneFlexLayout({ direction: 'column', children }),
  });
}
