// matchDropsToSpans in DuckDB SQL, term for term: the pod equi-join with the same slack overlap, the same
// destination agreement (cluster names, ClusterIP, port-only), the same failure classes and weights, the same
// clamping and rounding to thousandths, and the same output order (drops by time, each drop's spans best first).
// Every weight is a DOUBLE so that the sums are the same IEEE operations as in JavaScript.

const FAILURE_KIND = `CASE
    WHEN status <> 'error' OR message IS NULL OR message = '' THEN NULL
    WHEN regexp_matches(message, '(?i)timed? ?out|etimedout|deadline[ _]exceeded|timeout') THEN 'timeout'
    WHEN regexp_matches(message, '(?i)refused|econnrefused') THEN 'refused'
    WHEN regexp_matches(message, '(?i)reset|econnreset|broken pipe|epipe') THEN 'reset'
    WHEN regexp_matches(message, '(?i)unreachable|no route to host|ehostunreach|enetunreach') THEN 'unreachable'
    WHEN regexp_matches(message, '(?i)enotfound|eai_again|no such host|name resolution|nxdomain') THEN 'dns'
  END`;

export function joinSql(slackUs: number): string {
  return `CREATE OR REPLACE TEMP TABLE matches AS
WITH s AS (
  SELECT span_idx, pod_key, start_us, end_us, port, status, lower(trim(host)) AS h,
    regexp_full_match(lower(trim(host)), '\\d{1,3}(\\.\\d{1,3}){3}') OR contains(host, ':') AS host_is_ip,
    ${FAILURE_KIND} AS failure_kind
  FROM spans
), d AS (
  SELECT drop_idx, pod_key, time_us, greatest(end_us, time_us) AS until_us, dst_ip, dst_port,
    lower(dst_service) AS n1, lower(dst_service || '.' || dst_ns) AS n2, lower(dst_service || '.' || dst_ns || '.svc') AS n3,
    lower(dst_service || '.' || dst_ns || '.svc.') AS cluster_prefix,
    CASE WHEN regexp_matches(reason, '(?i)reject|icmp|unreachable') THEN 'refused' ELSE 'timeout' END AS expected_first,
    CASE WHEN regexp_matches(reason, '(?i)reject|icmp|unreachable') THEN ['refused', 'unreachable'] ELSE ['timeout'] END AS expected
  FROM drops
), scored AS (
  SELECT d.drop_idx, d.time_us, s.span_idx, s.start_us,
    0.25::DOUBLE
    + CASE
        WHEN s.h = d.dst_ip OR s.h IN (d.n1, d.n2, d.n3)
             OR (length(s.h) > length(d.cluster_prefix) AND starts_with(s.h, d.cluster_prefix))
          THEN CASE WHEN s.port = d.dst_port THEN 0.4::DOUBLE ELSE 0.32::DOUBLE END
        WHEN NOT s.host_is_ip THEN -0.2::DOUBLE
        WHEN s.port = d.dst_port THEN 0.12::DOUBLE
        ELSE -0.2::DOUBLE
      END
    + CASE
        WHEN s.status = 'ok' THEN -0.15::DOUBLE
        WHEN s.status <> 'error' THEN 0::DOUBLE
        WHEN s.failure_kind IS NULL THEN 0.08::DOUBLE
        WHEN s.failure_kind = d.expected_first THEN 0.2::DOUBLE
        WHEN list_contains(d.expected, s.failure_kind) THEN 0.12::DOUBLE
        ELSE -0.05::DOUBLE
      END
    + 0.15::DOUBLE * exp(-(abs(d.time_us - s.start_us)::DOUBLE) / 2000000::DOUBLE) AS raw
  FROM d JOIN s
    ON s.pod_key = d.pod_key AND d.time_us <= s.end_us + ${slackUs} AND d.until_us >= s.start_us - ${slackUs}
)
SELECT drop_idx, span_idx,
  floor(least(1::DOUBLE, greatest(0::DOUBLE, raw)) * 1000::DOUBLE + 0.5::DOUBLE) / 1000::DOUBLE AS confidence
FROM scored
ORDER BY time_us, drop_idx, confidence DESC, start_us, span_idx`;
}
