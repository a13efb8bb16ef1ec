// Turns a tracked TCP connection into the NetworkEvents it reports: its flow, an unanswered-SYN drop, a reset.
import type { FlowState, NetworkEvent } from '../../model/events';
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
      },
      ...(conn.appProtocol ? { appProtocol: conn.appProtocol } : {}),
    },
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
