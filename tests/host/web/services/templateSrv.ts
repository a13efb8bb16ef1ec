// Grafana's templateSrv for the host: as in Grafana 12, a scene object in scopedVars hands interpolation to
// sceneGraph.interpolate (the scene's own variables); otherwise only the scoped values are substituted.
import type { ScopedVars, TimeRange } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { type SceneObject, sceneGraph } from '@grafana/scenes';

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]/g;

function sceneObjectOf(scopedVars?: ScopedVars): SceneObject | undefined {
  return (scopedVars?.__sceneObject?.value as { valueOf?: () => SceneObject } | undefined)?.valueOf?.();
}

export function createTemplateSrv(): TemplateSrv {
  return {
    getVariables: () => [],
    replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
      if (!target) {
        return target ?? '';
      }
      const sceneObject = sceneObjectOf(scopedVars);
      if (sceneObject) {
        return sceneGraph.interpolate(sceneObject, target, scopedVars, format as string | undefined);
      }
      return target.replace(VARIABLE, (match, a, b, _fmt, c) => {
        const scoped = scopedVars?.[a ?? b ?? c];
        return scoped === undefined ? match : String(scoped.value);
      });
    },
    containsTemplate: (target?: string) => Boolean(target && new RegExp(VARIABLE.source).test(target)),
    updateTimeRange: (_range: TimeRange) => {},
  } as TemplateSrv;
}
