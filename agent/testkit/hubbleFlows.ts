// Test fixtures: Hubble flows modelled on Cilium's public examples (exporter-file lines, one camelCase jsonpb line).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FLOWS_JSONL_PATH = join(__dirname, 'hubbleFlows.jsonl');

export function fixtureLines(): string[] {
  return readFileSync(FLOWS_JSONL_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}
