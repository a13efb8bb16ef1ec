// Query handlers by queryType; a type without an entry answers 501.
import type { QueryHandlers } from '../datasource/types';
import { dnsQuery } from './dns';
import { dropsQuery } from './drops';
import { flowsQuery } from './flows';
import { logsQuery } from './logs';
import { tcpHealthQuery } from './tcpHealth';
import { topologyQuery } from './topology';
import { traceNetworkQuery } from './traceNetwork';

export const queryHandlers: QueryHandlers = {
  dns: dnsQuery,
  drops: dropsQuery,
  flows: flowsQuery,
  logs: logsQuery,
  tcpHealth: tcpHealthQuery,
  topology: topologyQuery,
  traceNetwork: traceNetworkQuery,
};
