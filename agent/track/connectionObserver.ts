// The plug point between the TCP tracker and application-protocol trackers (HTTP/1, DNS over TCP, TLS, h2c).
import type { Side, TcpConnection } from './tcpConnection';
import type { StreamConsumer } from './streamReassembler';

export interface ConnectionObserver {
  readonly appProtocol: string;
  // In-order bytes of each direction; a direction without a consumer is not reassembled.
  readonly fromClient?: StreamConsumer;
  readonly fromServer?: StreamConsumer;
  onClose(endUs: number): void;
}

// Looks at the first payload of a connection and returns who follows it, or undefined to leave it unparsed.
export type ConnectionClassifier = (
  conn: TcpConnection,
  side: Side,
  firstPayload: Uint8Array,
  timeUs: number
) => ConnectionObserver | undefined;
