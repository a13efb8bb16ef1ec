// Query handlers by queryType; a type without an entry answers 501.
import type { QueryHandlers } from '../datasource/types';
import { dropsQuery } from './drops';
import { flowsQuery } from './flows';
import { logsQuery } from './logs';
import { traceNetworkQuery } from './traceNetwork';

export const queryHandlers: QueryHandlers = {
  drops: dropsQuery,
  flows: flowsQuery,
  logs: logsQuery,
  traceNetwork: traceNetworkQuery,
};
