// Grafana's core fills the transformations registry at boot; the pages' scenes look transformations up in it.
import { standardTransformers, standardTransformersRegistry, type DataTransformerInfo } from '@grafana/data';

export function registerStandardTransformers(): void {
  // One entry per id: the list keeps deprecated aliases (seriesToColumns is joinByField).
  const byId = new Map<string, DataTransformerInfo>();
  Object.values(standardTransformers as Record<string, DataTransformerInfo>).forEach((t) => byId.set(t.id, t));
  standardTransformersRegistry.setInit(() =>
    [...byId.values()].map((transformation) => ({
      id: transformation.id,
      name: transformation.name,
      description: transformation.description,
      transformation,
      // Editors are Grafana's own UI (not in the libraries); the host never edits a transformation.
      editor: () => null,
      imageDark: '',
      imageLight: '',
    }))
  );
}
