import { SceneControlsSpacer, SceneObject, SceneRefreshPicker, SceneTimePicker, VariableValueSelectors } from '@grafana/scenes';

// Filters on the left, time range and refresh on the right: the same on every page.
export function pageControls(extra: SceneObject[] = []): SceneObject[] {
  return [
    new VariableValueSelectors({}),
    ...extra,
    new SceneControlsSpacer(),
    new SceneTimePicker({ isOnCanvas: true }),
    new SceneRefreshPicker({ intervals: ['10s', '30s', '1m', '5m'], isOnCanvas: true }),
  ];
}
