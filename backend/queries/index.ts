// Query handlers by queryType: every query type of the model has one, or this file does not compile.
import type { QueryType } from '../../model/query';
import type { QueryHandler } from '../datasource/types';
import { dnsQuery } from './dns';
import { dropsQuery } from './drops';
import { flowsQuery } from './flows';
import { logsQuery } from './logs';
import { signalsQuery } from './signals';
import { tcpHealthQuery } from './tcpHealth';
import { topologyQuery } from './topology';
import { traceNetworkQuery } from './traceNetwork';

export const queryHandlers = {
  dns: dnsQuery,
  drops: dropsQuery,
  flows: flowsQuery,
  logs: logsQuery,
  signals: signalsQuery,
  tcpHealth: tcpHealthQuery,
  topology: topologyQuery,
  traceNetwork: traceNetworkQuery,
} satisfies Record<QueryType, QueryHandler>;
