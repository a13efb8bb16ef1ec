// Cluster file mode: what `kubectl get pods,services,endpointslices,namespaces,nodes,networkpolicies -A -o yaml`
// (or -o json) prints (a List), or multi-document YAML of the same objects, becomes a ClusterSnapshot.
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { checkRegularFile, InputFileError } from '../inputFiles';
import type { V1EndpointSlice, V1Namespace, V1NetworkPolicy, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { emptySnapshot, type ClusterSnapshot } from './model';

export class ClusterFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterFileError';
  }
}

export interface ClusterFile {
  snapshot: ClusterSnapshot;
  // Objects of kinds the agent has no use for (Deployments, ConfigMaps…), by kind.
  ignored: Record<string, number>;
}

interface KubeObject {
  kind?: unknown;
  items?: unknown;
  metadata?: { name?: unknown };
}

// YAML parsing takes about 150 times the file's size in memory and a minute for 8 MiB; JSON (kubectl -o json) a
// small multiple. Larger snapshots are refused up front rather than exhausting the heap.
export const MAX_CLUSTER_YAML_BYTES = 8 * 1024 * 1024;
export const MAX_CLUSTER_FILE_BYTES = 64 * 1024 * 1024;

// Identity and policy both read the cluster file: one parse serves both while the file is unchanged.
let lastLoad: { key: string; file: ClusterFile } | undefined;

export function loadClusterFile(path: string, maxBytes = MAX_CLUSTER_FILE_BYTES): ClusterFile {
  let text: string;
  let key: string;
  try {
    checkRegularFile(
      path,
      'cluster file',
      maxBytes,
      ': save the snapshot to a file first (kubectl get … -o json > FILE)'
    );
    const info = statSync(path);
    key = `${path}\0${info.size}\0${info.mtimeMs}`;
    if (lastLoad?.key === key) {
      return lastLoad.file;
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputFileError) {
      throw new ClusterFileError(err.message);
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new ClusterFileError(`cannot read cluster file ${path}: ${code === 'ENOENT' ? 'no such file' : String(err)}`);
  }
  const file = parseClusterText(text, path, Math.min(maxBytes, MAX_CLUSTER_YAML_BYTES));
  lastLoad = { key, file };
  return file;
}

// JSON (what `kubectl … -o json` prints) is read directly; anything else as YAML, within the smaller YAML bound.
export function parseClusterText(text: string, source: string, maxYamlBytes = MAX_CLUSTER_YAML_BYTES): ClusterFile {
  if (/^\s*[{[]/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value !== undefined) {
      const result: ClusterFile = { snapshot: emptySnapshot(), ignored: {} };
      addObject(result, value, source);
      return result;
    }
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > maxYamlBytes) {
    throw new ClusterFileError(
      `cluster file ${source} is ${bytes} bytes of YAML, over the YAML limit of ${maxYamlBytes} (${maxYamlBytes / 2 ** 20} MiB): ` +
        `save it as JSON (kubectl get … -o json), read up to ${MAX_CLUSTER_FILE_BYTES / 2 ** 20} MiB`
    );
  }
  return parseClusterYaml(text, source);
}

export function parseClusterYaml(text: string, source = 'cluster file'): ClusterFile {
  const result: ClusterFile = { snapshot: emptySnapshot(), ignored: {} };
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      const first = document.errors[0];
      const line = first.linePos?.[0]?.line;
      throw new ClusterFileError(`${source}${line ? ` line ${line}` : ''}: ${first.message.split('\n')[0]}`);
    }
    let value: unknown;
    try {
      value = document.toJS();
    } catch (err) {
      // Alias expansion (billion laughs) and similar limits of the YAML library surface here.
      throw new ClusterFileError(`${source}: ${(err as Error).message}`);
    }
    addObject(result, value, source);
  }
  return result;
}

function addObject(result: ClusterFile, value: unknown, source: string): void {
  if (value === null || value === undefined) {
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ClusterFileError(
      `${source}: expected Kubernetes objects, found ${Array.isArray(value) ? 'a list' : typeof value}`
    );
  }
  const object = value as KubeObject;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    for (const item of object.items) {
      addObject(result, item, source);
    }
    return;
  }
  if (typeof object.kind !== 'string') {
    throw new ClusterFileError(`${source}: an object without "kind" (${JSON.stringify(value).slice(0, 80)})`);
  }
  const snapshot = result.snapshot;
  switch (object.kind) {
    case 'Pod':
      snapshot.pods.push(value as V1Pod);
      break;
    case 'Service':
      snapshot.services.push(value as V1Service);
      break;
    case 'EndpointSlice':
      snapshot.endpointSlices.push(value as V1EndpointSlice);
      break;
    case 'Namespace':
      snapshot.namespaces.push(value as V1Namespace);
      break;
    case 'Node':
      snapshot.nodes.push(value as V1Node);
      break;
    case 'NetworkPolicy':
      snapshot.networkPolicies.push(value as V1NetworkPolicy);
      break;
    default:
      result.ignored[object.kind] = (result.ignored[object.kind] ?? 0) + 1;
  }
}
