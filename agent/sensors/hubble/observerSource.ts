/**
 * The Hubble Observer gRPC source: `observer.Observer/GetFlows` server stream against Hubble Relay (or one
 * Cilium agent), mapped to NetworkEvents. In follow mode a broken stream is reopened with backoff from the last
 * flow's time, and flows already delivered at that instant are not delivered twice.
 */
import * as grpc from '@grpc/grpc-js';
import type { NetworkEvent } from '../../../model/events';
import { type FlowMappingOptions, timestampToUs } from './flowToEvent';
import { decodeFlowsResponse } from './flowMessages';
import { eventFromResponse } from './flowResponses';
import type { HubbleFlowsResponse } from './flowTypes';
import { encodeGetFlowsRequest, getFlowsRequest, type GetFlowsOptions } from './observerRequest';
import { type HubbleSourceCounters, newHubbleSourceCounters } from './sourceCounters';

export const GET_FLOWS_PATH = '/observer.Observer/GetFlows';
const RESUME_OVERLAP_MS = 2000;
const RECENT_UUIDS = 65_536;

export interface HubbleObserverOptions extends GetFlowsOptions, FlowMappingOptions {
  // host:port of Hubble Relay (usually :4245), or unix:///var/run/cilium/hubble.sock.
  address: string;
  // PEM CA bundle to verify a TLS-enabled Relay; plaintext when absent.
  tlsCa?: Buffer;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
}

export interface HubbleObserverCounters extends HubbleSourceCounters {
  streamErrors: number;
  reconnects: number;
}

export class HubbleObserverSource {
  readonly counters: HubbleObserverCounters = { ...newHubbleSourceCounters(), streamErrors: 0, reconnects: 0 };
  lastError: string | undefined;
  private readonly client: grpc.Client;
  private call: grpc.ClientReadableStream<HubbleFlowsResponse | undefined> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  // Resume point for reconnects: the newest flow time seen, and the uuids recently delivered.
  private newestUs: number | undefined;
  private readonly recentUuids = new Set<string>();

  constructor(
    private readonly options: HubbleObserverOptions,
    private readonly onEvent: (event: NetworkEvent) => void
  ) {
    const credentials = options.tlsCa ? grpc.credentials.createSsl(options.tlsCa) : grpc.credentials.createInsecure();
    this.client = new grpc.Client(options.address, credentials, {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    });
  }

  /** Streams until the server ends (without follow) or stop() is called. Without follow, errors reject. */
  async run(): Promise<void> {
    let delayMs = this.options.reconnectInitialMs ?? 500;
    const maxMs = this.options.reconnectMaxMs ?? 30_000;
    try {
      while (!this.stopped) {
        try {
          await this.streamOnce();
          if (!this.options.follow) {
            return;
          }
          delayMs = this.options.reconnectInitialMs ?? 500;
        } catch (err) {
          if (this.stopped) {
            return;
          }
          this.counters.streamErrors++;
          this.lastError = err instanceof Error ? err.message : String(err);
          if (!this.options.follow) {
            throw new Error(`hubble: GetFlows from ${this.options.address} failed: ${this.lastError}`);
          }
        }
        await this.sleep(delayMs * (0.5 + Math.random() / 2));
        delayMs = Math.min(maxMs, delayMs * 2);
        this.counters.reconnects++;
      }
    } finally {
      this.client.close();
    }
  }

  stop(): void {
    this.stopped = true;
    this.call?.cancel();
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private requestBytes(): Buffer {
    // Relay merges nodes with a short sort window, so resume a little earlier and let uuids drop the overlap.
    const since =
      this.newestUs !== undefined ? new Date(Math.floor(this.newestUs / 1000) - RESUME_OVERLAP_MS) : this.options.since;
    return encodeGetFlowsRequest(getFlowsRequest({ ...this.options, since }));
  }

  private streamOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      const call = this.client.makeServerStreamRequest<Buffer, HubbleFlowsResponse | undefined>(
        GET_FLOWS_PATH,
        (bytes) => bytes,
        (bytes) => {
          try {
            return decodeFlowsResponse(bytes);
          } catch {
            this.counters.malformed++;
            return undefined;
          }
        },
        this.requestBytes()
      );
      this.call = call;
      call.on('data', (response: HubbleFlowsResponse | undefined) => {
        if (response) {
          this.deliver(response);
        }
      });
      call.on('error', (err: grpc.ServiceError) => {
        if (this.stopped && err.code === grpc.status.CANCELLED) {
          resolve();
        } else {
          reject(new Error(`${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`));
        }
      });
      call.on('end', () => resolve());
    });
  }

  private deliver(response: HubbleFlowsResponse): void {
    const flow = response.flow;
    if (flow?.uuid) {
      if (this.recentUuids.has(flow.uuid)) {
        return;
      }
      this.recentUuids.add(flow.uuid);
      if (this.recentUuids.size > RECENT_UUIDS) {
        // Sets iterate in insertion order: the first is the oldest.
        this.recentUuids.delete(this.recentUuids.values().next().value as string);
      }
    }
    const timeUs = timestampToUs(flow?.time);
    if (timeUs !== undefined && (this.newestUs === undefined || timeUs > this.newestUs)) {
      this.newestUs = timeUs;
    }
    const event = eventFromResponse(response, this.counters, this.options);
    if (event) {
      this.onEvent(event);
    }
  }
}
