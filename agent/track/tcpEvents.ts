// Turns a tracked TCP connection into the NetworkEvents it reports: its flow, an unanswered-SYN drop, a reset.
import type { FlowState, NetworkEvent, TcpHealth } from '../../model/events';
import { retransmitRate, tcpHealthClass } from '../../model/tcpHealthClass';
import type { TcpConnection } from './tcpConnection';
import type { TrackerOptions } from './trackerOptions';

function base(
  conn: TcpConnection,
  options: TrackerOptions
): Pick<NetworkEvent, 'transport' | 'src' | 'dst' | 'source' | 'node' | 'underlay'> {
  return {
    transport: 'tcp',
    src: { ip: conn.clientIp, port: conn.clientPort },
    dst: { ip: conn.serverIp, port: conn.serverPort },
    source: options.source,
    ...(options.node ? { node: options.node } : {}),
    ...(conn.underlay ? { underlay: conn.underlay } : {}),
  };
}

export function flowEvent(conn: TcpConnection, options: TrackerOptions, state: FlowState): NetworkEvent {
  const hasRtt = conn.rttSamples > 0;
  return {
    kind: 'flow',
    time: conn.firstUs,
    endTime: conn.lastUs,
    ...base(conn, options),
    flow: {
      state,
      toServer: { bytes: conn.toServer.bytes, packets: conn.toServer.packets },
      toClient: { bytes: conn.toClient.bytes, packets: conn.toClient.packets },
      tcp: {
        ...(conn.handshakeRttUs !== undefined ? { handshakeRttUs: conn.handshakeRttUs } : {}),
        ...(hasRtt
          ? { rttMinUs: conn.rttMinUs, rttMaxUs: conn.rttMaxUs, rttAvgUs: Math.round(conn.rttSumUs / conn.rttSamples) }
          : {}),
        retransmits: conn.retransmits,
        fastRetransmits: conn.fastRetransmits,
        outOfOrder: conn.outOfOrder,
        zeroWindow: conn.zeroWindow,
        windowFull: conn.windowFull,
        lifecycle: conn.lifecycle,
        ...(conn.resetBy ? { resetBy: conn.resetBy } : {}),
        ...efficiency(conn),
      },
      ...(conn.appProtocol ? { appProtocol: conn.appProtocol } : {}),
    },
  };
}

// Goodput, jitter, receive windows and the health class: what the connection's bytes and RTTs say about its path.
function efficiency(conn: TcpConnection): Partial<TcpHealth> {
  const packets = conn.toServer.packets + conn.toClient.packets;
  const rate = retransmitRate(conn.retransmits, packets);
  const meanWindow = (dir: TcpConnection['toServer']) =>
    dir.windowSamples > 0 ? Math.round(dir.windowSum / dir.windowSamples) : undefined;
  const client = meanWindow(conn.toServer);
  const server = meanWindow(conn.toClient);
  return {
    payloadBytes: conn.payloadBytes,
    retransmittedBytes: conn.retransmittedBytes,
    goodputBytes: Math.max(0, conn.payloadBytes - conn.retransmittedBytes),
    ...(conn.rttSamples > 0 ? { rttJitterUs: Math.round(conn.rttJitterUs), rttSamples: conn.rttSamples } : {}),
    ...(client !== undefined || server !== undefined
      ? {
          receiveWindow: {
            ...(client !== undefined ? { client } : {}),
            ...(server !== undefined ? { server } : {}),
          },
        }
      : {}),
    ...(rate !== undefined ? { retransmitRate: rate, health: tcpHealthClass(rate) } : {}),
  };
}

export function unansweredSynDrop(conn: TcpConnection, options: TrackerOptions): NetworkEvent {
  return {
    kind: 'drop',
    time: conn.firstSynUs,
    endTime: conn.lastSynUs,
    ...base(conn, options),
    drop: {
      reason: 'unanswered_syn',
      verdict: 'dropped',
      attempts: conn.synAttempts,
      ...(conn.synTimesUs.length > 0 ? { attemptTimes: [...conn.synTimesUs] } : {}),
    },
  };
}

// reason: connection_refused (RST answering a SYN) or connection_reset (RST on an open connection).
export function resetEvent(conn: TcpConnection, options: TrackerOptions, reason: string, atUs: number): NetworkEvent {
  return {
    kind: 'reset',
    time: conn.synAttempts > 0 && reason === 'connection_refused' ? conn.firstSynUs : atUs,
    endTime: atUs,
    ...base(conn, options),
    drop: { reason, verdict: 'error', ...(conn.synAttempts > 0 ? { attempts: conn.synAttempts } : {}) },
    flow: {
      state: 'reset',
      toServer: { bytes: conn.toServer.bytes, packets: conn.toServer.packets },
      toClient: { bytes: conn.toClient.bytes, packets: conn.toClient.packets },
      tcp: {
        retransmits: conn.retransmits,
        zeroWindow: conn.zeroWindow,
        lifecycle: conn.lifecycle,
        ...(conn.resetBy ? { resetBy: conn.resetBy } : {}),
      },
    },
  };
}

// The reset event of a connection, as a newer version of the one already published for it when there is one (a SYN
// retried after the RST): same id and first time, next revision.
export function resetEventVersion(
  conn: TcpConnection,
  options: TrackerOptions,
  reason: string,
  atUs: number
): NetworkEvent {
  const earlier = conn.resetReport;
  const event = resetEvent(conn, options, reason, atUs);
  event.id = `${conn.key}#${conn.toServer.isn ?? conn.toClient.isn ?? 0}/reset`;
  event.revision = earlier ? (earlier.revision ?? 0) + 1 : 0;
  if (earlier) {
    event.time = earlier.time;
  }
  return event;
}
