/**
 * Hubble flow JSON lines (exporter files, `hubble observe -o json`) → NetworkEvents.
 * Input may arrive in arbitrary chunks; a bad line is counted as malformed and the rest still read.
 */
import { createReadStream } from 'node:fs';
import type { NetworkEvent } from '../../../model/events';
import { flowsResponseFromJson } from './flowMessages';
import { eventFromResponse } from './flowResponses';
import type { FlowMappingOptions } from './flowToEvent';
import { type HubbleSourceCounters, newHubbleSourceCounters } from './sourceCounters';

// A flow is a few KiB of JSON; a longer line is malformed input (or no line at all, as from /dev/zero).
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

export class HubbleJsonLineDecoder {
  readonly counters: HubbleSourceCounters = newHubbleSourceCounters();
  private partial = '';
  // Inside an over-long line: its rest is skipped up to the next newline, never held.
  private skipping = false;

  constructor(
    private readonly onEvent: (event: NetworkEvent) => void,
    private readonly options: FlowMappingOptions = {}
  ) {}

  push(chunk: string): void {
    if (this.skipping) {
      const newline = chunk.indexOf('\n');
      if (newline < 0) {
        return;
      }
      this.skipping = false;
      chunk = chunk.slice(newline + 1);
    }
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.line(line);
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      this.counters.malformed++;
      this.partial = '';
      this.skipping = true;
    }
  }

  // Call at end of input: a last line without a newline is still a line.
  end(): void {
    this.skipping = false;
    if (this.partial) {
      this.line(this.partial);
      this.partial = '';
    }
  }

  line(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) {
      return;
    }
    let event: NetworkEvent | undefined;
    try {
      event = eventFromResponse(flowsResponseFromJson(JSON.parse(trimmed)), this.counters, this.options);
    } catch {
      this.counters.malformed++;
      return;
    }
    if (event) {
      this.onEvent(event);
    }
  }
}

/** Reads a whole Hubble JSON file; resolves with the counters once the file is consumed. */
export function readHubbleJsonFile(
  path: string,
  onEvent: (event: NetworkEvent) => void,
  options: FlowMappingOptions = {}
): Promise<HubbleSourceCounters> {
  const decoder = new HubbleJsonLineDecoder(onEvent, options);
  return new Promise((resolve, reject) => {
    createReadStream(path, { encoding: 'utf8' })
      .on('data', (chunk) => decoder.push(String(chunk)))
      .on('error', (err) => reject(new Error(`hubble: cannot read ${path}: ${err.message}`)))
      .on('end', () => {
        decoder.end();
        resolve(decoder.counters);
      });
  });
}
