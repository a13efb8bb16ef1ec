// Runs the plugin the way go-plugin expects: check the magic cookie, serve gRPC on loopback, print the
// handshake as the only stdout line, then live until Grafana says Shutdown, sends SIGTERM or goes away.
import * as grpc from '@grpc/grpc-js';
import { fstatSync } from 'node:fs';
import type { Logger } from '../datasource/types';
import { createPluginServer, type PluginBackend } from './server';

export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 2;

export interface ServeOptions {
  env?: NodeJS.ProcessEnv;
  host?: string;
  writeStdout?: (line: string) => void;
  exit?: (code: number) => void;
}

export class HandshakeError extends Error {}

export function checkLaunchEnvironment(env: NodeJS.ProcessEnv): void {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new HandshakeError(
      'This executable is a Grafana backend plugin; Grafana starts it (the grafana_plugin_type variable is not set).'
    );
  }
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (
    offered &&
    !offered
      .split(',')
      .map((v) => v.trim())
      .includes(String(APP_PROTOCOL_VERSION))
  ) {
    throw new HandshakeError(
      `Grafana offers plugin protocol versions ${offered}; this plugin speaks ${APP_PROTOCOL_VERSION}`
    );
  }
}

export async function servePlugin(backend: PluginBackend, logger: Logger, options: ServeOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  checkLaunchEnvironment(env);

  let stopping = false;
  const { server, closeStreams } = createPluginServer(backend, logger, () => stop('shutdown RPC'));
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:0`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)))
  );
  function stop(reason: string): void {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info('plugin stopping', { reason });
    closeStreams();
    const force = setTimeout(() => server.forceShutdown(), 5000);
    force.unref();
    server.tryShutdown(() => {
      clearTimeout(force);
      exit(0);
    });
  }

  // Handlers go in before the handshake: Grafana may signal the moment it reads the line.
  // It stops plugins with Shutdown or SIGTERM; SIGINT is the terminal's Ctrl-C meant for Grafana itself.
  process.on('SIGINT', () => logger.debug('ignoring SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  watchParent(stop);

  (options.writeStdout ?? ((line) => process.stdout.write(line)))(
    `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|${host}:${port}|grpc\n`
  );
  logger.info('plugin serving', { address: `${host}:${port}`, pid: process.pid, node: process.versions.node });
}

// go-plugin hands the plugin Grafana's own stdin: a closed pipe or socket means the parent is gone,
// while /dev/null or a terminal says nothing about it.
function watchParent(stop: (reason: string) => void): void {
  let stdinIsPipe = false;
  try {
    const stdin = fstatSync(0);
    stdinIsPipe = stdin.isFIFO() || stdin.isSocket();
  } catch {
    stdinIsPipe = false;
  }
  if (stdinIsPipe) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin closed'));
    process.stdin.resume();
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      stop('parent process exited');
    }
  }, 2000);
  timer.unref();
}
