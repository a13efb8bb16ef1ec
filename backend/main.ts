// Entry point Grafana starts: serves the plugin protocol on loopback and announces it with the go-plugin handshake line.
import { WiretraceDatasource } from './datasource/datasource';
import { HclogLogger, levelFromEnv } from './datasource/logger';
import { BackendMetrics } from './datasource/metrics';
import { HandshakeError, servePlugin } from './protocol/serve';
import { queryHandlers } from './queries';

const logger = new HclogLogger(process.stderr, levelFromEnv(process.env.WIRETRACE_LOG_LEVEL));
const datasource = new WiretraceDatasource(queryHandlers, new BackendMetrics(), logger);

servePlugin(datasource, logger).catch((err: unknown) => {
  if (err instanceof HandshakeError) {
    process.stderr.write(err.message + '\n');
  } else {
    logger.error('plugin failed to start', { error: err instanceof Error ? err.message : String(err) });
  }
  process.exit(1);
});
