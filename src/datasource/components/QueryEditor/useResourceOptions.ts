import { useEffect, useState } from 'react';
import type { ComboboxOption } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { ResourceName } from '../../resources/resourceOptions';

export interface ResourceOptionsState {
  options: Array<ComboboxOption<string>>;
  loading: boolean;
  error?: string;
}

interface Loaded {
  key: string;
  options: Array<ComboboxOption<string>>;
  error?: string;
}

// Loads one resource route's options; reloads when the namespace scope changes.
export function useResourceOptions(datasource: DataSource, resource: ResourceName, namespace?: string): ResourceOptionsState {
  const key = `${resource}?${namespace ?? ''}`;
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  useEffect(() => {
    let current = true;
    datasource
      .listResource(resource, namespace)
      .then((options) => current && setLoaded({ key, options }))
      .catch((err: unknown) => current && setLoaded({ key, options: [], error: `Could not load ${resource}: ${errorMessage(err)}` }));
    return () => {
      current = false;
    };
  }, [datasource, resource, namespace, key]);
  // Until the answer for this scope arrives, keep showing the previous options as loading.
  if (!loaded || loaded.key !== key) {
    return { options: loaded?.options ?? [], loading: true };
  }
  return { options: loaded.options, loading: false, error: loaded.error };
}

function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const record = err as { data?: { message?: unknown }; message?: unknown; statusText?: unknown };
    const candidate = record.data?.message ?? record.message ?? record.statusText;
    if (typeof candidate === 'string' && candidate !== '') {
      return candidate;
    }
  }
  return String(err);
}
