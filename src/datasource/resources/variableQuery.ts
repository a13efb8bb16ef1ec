import { RESOURCE_NAMES, ResourceName } from './resourceOptions';

// A dashboard/scene variable query: a resource name, optionally scoped, e.g. `pods?namespace=$namespace`.
export interface VariableResourceQuery {
  resource: ResourceName;
  namespace?: string;
}

export class VariableQueryError extends Error {}

export function parseVariableQuery(raw: string): VariableResourceQuery {
  const text = raw.trim();
  const [path, search = ''] = text.split('?', 2);
  const resource = path.trim() as ResourceName;
  if (!RESOURCE_NAMES.includes(resource)) {
    throw new VariableQueryError(
      `Unknown Wiretrace variable query "${text}": expected one of ${RESOURCE_NAMES.join(', ')}, optionally followed by ?namespace=<name>`
    );
  }
  const namespace = new URLSearchParams(search).get('namespace')?.trim();
  // An "All" selection of an upstream variable means no scoping.
  if (!namespace || namespace === '*' || namespace === '$__all') {
    return { resource };
  }
  return { resource, namespace };
}
