// `analyze`: the agent (agent/assembly) over a capture file, one event per line in time order; a summary on stderr.
import { parseArgs } from 'node:util';
import type { EventKind, NetworkEvent } from '../../model/events';
import { latestVersions } from '../../model/eventVersions';
import { ConfigError, defaultAgentConfig, loadAgentConfig } from '../config';
import { checkReadable, InputFileError } from '../inputFiles';
import { ClusterFileError, MAX_CLUSTER_FILE_BYTES, MAX_CLUSTER_YAML_BYTES } from '../kube/clusterFile';
import { assemble } from '../assembly/assemble';
import type { AgentCommand } from './command';
import { formatJsonLine, formatTableRow, TABLE_HEADER } from './eventFormat';

const SYNOPSIS = 'analyze --pcap FILE|- [--stream] [--cluster FILE] [--format jsonl|table] [--config FILE]';

const HELP = `Usage: wiretrace-agent ${SYNOPSIS}

  --pcap FILE      a pcap or pcapng capture; "-" reads standard input
  --stream         also read --pcap from a FIFO or device (it waits for a writer, as long as it takes);
                   without it only regular files are read, so a FIFO nobody writes cannot hang the command
  --cluster FILE   a Kubernetes snapshot (kubectl get … -o json), a regular file of at most ${MAX_CLUSTER_FILE_BYTES / 2 ** 20} MiB
                   (YAML, as -o yaml prints it, up to ${MAX_CLUSTER_YAML_BYTES / 2 ** 20} MiB: it takes far more memory to read)
  --format         jsonl (default) or table
  --config FILE    an agent config (tracker and http settings)

Reading stops at the first error that makes the rest of the capture unreadable; the events before it are printed.
`;

export const analyzeCommand: AgentCommand = {
  synopsis: SYNOPSIS,
  summary: 'run the pipeline over a pcap/pcapng file and print its events',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          pcap: { type: 'string' },
          stream: { type: 'boolean', default: false },
          cluster: { type: 'string' },
          format: { type: 'string', default: 'jsonl' },
          config: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (err) {
      process.stderr.write(`wiretrace-agent analyze: ${(err as Error).message}\nUsage: wiretrace-agent ${SYNOPSIS}\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (!values.pcap) {
      process.stderr.write(`wiretrace-agent analyze: --pcap FILE is required\n`);
      return 2;
    }
    if (values.format !== 'jsonl' && values.format !== 'table') {
      process.stderr.write(`wiretrace-agent analyze: --format must be jsonl or table, got "${values.format}"\n`);
      return 2;
    }
    const pcap = values.pcap === '-' ? '/dev/stdin' : values.pcap;
    const events: NetworkEvent[] = [];
    let agent;
    try {
      checkReadable(pcap, 'capture', values.stream || values.pcap === '-', ': pass --stream to read a stream');
      const config = values.config ? loadAgentConfig(values.config) : defaultAgentConfig();
      agent = assemble(
        config,
        { kind: 'file', path: pcap, clusterFile: values.cluster, origin: values.config },
        { onEvent: (e) => events.push(e), log: (_level, m) => process.stderr.write(`wiretrace-agent analyze: ${m}\n`) }
      );
    } catch (err) {
      if (err instanceof InputFileError || err instanceof ClusterFileError || err instanceof ConfigError) {
        process.stderr.write(`wiretrace-agent analyze: ${err.message}\n`);
        return 1;
      }
      throw err;
    }

    let capture;
    try {
      // A file input always reports its read.
      capture = (await agent.start()).capture!;
    } catch (err) {
      process.stderr.write(`wiretrace-agent analyze: cannot read ${values.pcap}: ${(err as Error).message}\n`);
      return 1;
    }
    await agent.stop();
    const { pipeline } = agent;

    // Stable sort: events of the same microsecond keep the order they were produced in; of an event published again
    // with newer counts, only the newest version is printed.
    const latest = latestVersions(events).sort((a, b) => a.time - b.time);
    const out: string[] =
      values.format === 'table' ? [TABLE_HEADER, ...latest.map(formatTableRow)] : latest.map(formatJsonLine);
    await writeLines(out);

    const byKind: Partial<Record<EventKind, number>> = {};
    for (const e of latest) {
      byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    }
    const c = capture.counters;
    const s = pipeline.stats;
    const summary = {
      file: values.pcap,
      format: capture.format,
      packets: c.packets,
      events: latest.length,
      eventsByKind: byKind,
      decoderErrors: {
        malformed: c.malformed,
        truncated: c.truncated,
        unsupportedLinkType: c.unsupportedLinkType,
        unsupportedProtocol: c.unsupportedProtocol,
      },
      fragments: c.fragments,
      duplicatePackets: s.duplicatePackets,
      connections: s.connectionsOpened,
      retransmits: s.retransmits,
      appParseErrors: s.parseErrors,
      pipelineErrors: pipeline.errors.total,
    };
    process.stderr.write(`wiretrace-agent analyze: summary ${JSON.stringify(summary)}\n`);
    if (capture.error) {
      process.stderr.write(
        `wiretrace-agent analyze: ${values.pcap}: ${capture.error.message} (the ${latest.length} events before it were printed)\n`
      );
      return 1;
    }
    return 0;
  },
};

async function writeLines(lines: string[]): Promise<void> {
  const chunk = 2000;
  for (let i = 0; i < lines.length; i += chunk) {
    const text = lines.slice(i, i + chunk).join('\n') + '\n';
    if (!process.stdout.write(text)) {
      await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    }
  }
}
