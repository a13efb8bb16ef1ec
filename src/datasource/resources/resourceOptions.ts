// The datasource's resource routes that list things a query can filter on.
export type ResourceName = 'namespaces' | 'pods' | 'services' | 'policies';

export interface ResourceOption {
  label: string;
  value: string;
  description?: string;
}

export const RESOURCE_NAMES: readonly ResourceName[] = ['namespaces', 'pods', 'services', 'policies'];

interface NamedItem {
  name?: unknown;
  value?: unknown;
  text?: unknown;
  label?: unknown;
  namespace?: unknown;
}

// Accepts the shapes a route may answer with: ["a"], [{name}], [{value,text}], or {items|<resource>: [...]}.
export function parseResourceOptions(body: unknown, resource: ResourceName): ResourceOption[] {
  const list = listOf(body, resource);
  const seen = new Set<string>();
  const options: ResourceOption[] = [];
  for (const item of list) {
    const option = toOption(item);
    if (option && !seen.has(option.value)) {
      seen.add(option.value);
      options.push(option);
    }
  }
  return options.sort((a, b) => a.value.localeCompare(b.value));
}

function listOf(body: unknown, resource: ResourceName): unknown[] {
  if (Array.isArray(body)) {
    return body;
  }
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of [resource, 'items', 'names']) {
      if (Array.isArray(record[key])) {
        return record[key];
      }
    }
  }
  return [];
}

function toOption(item: unknown): ResourceOption | undefined {
  if (typeof item === 'string') {
    return item === '' ? undefined : { label: item, value: item };
  }
  if (!item || typeof item !== 'object') {
    return undefined;
  }
  const named = item as NamedItem;
  const value = firstString(named.name, named.value, named.text);
  if (!value) {
    return undefined;
  }
  const label = firstString(named.label, named.text, named.name) ?? value;
  const namespace = firstString(named.namespace);
  return { label, value, description: namespace ? `namespace ${namespace}` : undefined };
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

// Route path with its query string, e.g. pods?namespace=shop.
export function resourcePath(resource: ResourceName, namespace?: string): string {
  const scoped = resource === 'pods' || resource === 'services' || resource === 'policies';
  return scoped && namespace ? `${resource}?namespace=${encodeURIComponent(namespace)}` : resource;
}
