package conformance

// Requests of types nobody knows must not grow the backend: metric labels come from closed sets.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

const (
	unknownTypeQueries = 20_000
	queriesPerRequest  = 500
)

func unknownTypeBatch(batch int) []pluginhost.Query {
	queries := make([]pluginhost.Query, 0, queriesPerRequest)
	for i := 0; i < queriesPerRequest; i++ {
		queries = append(queries, pluginhost.Query{
			RefID:     fmt.Sprintf("q%d", i),
			QueryType: fmt.Sprintf("probe-%d-%d-%s", batch, i, strings.Repeat("t", 200)),
			JSON:      []byte(`{}`),
			FromMS:    1_699_999_000_000, ToMS: 1_700_001_000_000, MaxDataPoints: 100, IntervalMS: 1000,
		})
	}
	return queries
}

func TestUnknownQueryTypesKeepMetricsAndMemoryBounded(t *testing.T) {
	p := startOwnPlugin(t)
	settings := settingsJSON(t, map[string]any{}, nil)
	send := func(batch int) {
		_, res, err := p.QueryData(probeCtx(t), settings, unknownTypeBatch(batch))
		if err != nil {
			t.Fatal(err)
		}
		if dr := res.Responses["q0"]; dr.Status != 400 || dr.Error == nil || !strings.Contains(dr.Error.Error(), "unknown queryType") {
			t.Fatalf("q0: status %d error %v", dr.Status, dr.Error)
		}
	}
	// Warm up first: code caches, pools and the labels every request uses exist before the baseline.
	for b := 0; b < 4; b++ {
		send(-1 - b)
	}
	metricsBefore, err := p.CollectMetrics(probeCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	rssBefore := p.rssBytes(t)
	var rssHalfway int64
	for b := 0; b < unknownTypeQueries/queriesPerRequest; b++ {
		send(b)
		if b == unknownTypeQueries/queriesPerRequest/2-1 {
			rssHalfway = p.rssBytes(t)
		}
	}
	rssAfterUnknown := p.rssBytes(t)
	// Three 10 MB query types, one per request.
	for i := 0; i < 3; i++ {
		q := pluginhost.Query{RefID: "huge", QueryType: strings.Repeat(string(rune('a'+i)), 10<<20), JSON: []byte(`{}`)}
		_, res, err := p.QueryData(probeCtx(t), settings, []pluginhost.Query{q})
		if err != nil {
			t.Fatal(err)
		}
		if msg := res.Responses["huge"].Error; msg == nil || len(msg.Error()) > 1024 {
			t.Errorf("a 10 MB queryType was answered with %d characters", len(fmt.Sprint(msg)))
		}
	}
	rssAfter := p.rssBytes(t)
	metricsAfter, err := p.CollectMetrics(probeCtx(t), settings)
	if err != nil {
		t.Errorf("CollectMetrics after the load: %v", err)
	}
	t.Logf("RSS %d MB, %d MB halfway, %d MB after %d unknown-type queries, %d MB after three 10 MB query types; "+
		"CollectMetrics %d -> %d bytes (request metrics %d -> %d); plugin log %d bytes", rssBefore>>20, rssHalfway>>20,
		rssAfterUnknown>>20, unknownTypeQueries, rssAfter>>20, len(metricsBefore), len(metricsAfter),
		len(requestMetrics(metricsBefore)), len(requestMetrics(metricsAfter)), len(p.log.String()))
	if strings.Contains(metricsAfter, "probe-") || strings.Contains(metricsAfter, "aaaa") {
		t.Error("a raw query type reached a metric label")
	}
	// One line per failed query was 10 MB of Grafana's log here; a few lines per kind each minute are kilobytes.
	if size := len(p.log.String()); size > 256<<10 {
		t.Errorf("the plugin logged %d bytes for queries of unknown types", size)
	}
	// Counter values gain digits; new series would add kilobytes each. Process metrics (a new GC kind) may grow.
	if grown := len(requestMetrics(metricsAfter)) - len(requestMetrics(metricsBefore)); grown > 1024 {
		t.Errorf("the request metrics grew by %d bytes", grown)
	}
	// Unbounded labels grew RSS by hundreds of MB over this load; garbage left before a collection is far less.
	// The young generation (--max-semi-space-size=64) may fill up to a few hundred MB of garbage before the
	// first collections; what must not happen is growth with the number of queries.
	if grown := rssAfterUnknown - rssBefore; grown > 160<<20 {
		t.Errorf("RSS grew by %d MB over %d unknown-type queries", grown>>20, unknownTypeQueries)
	}
	if grown := rssAfterUnknown - rssHalfway; grown > 32<<20 {
		t.Errorf("RSS grew by %d MB over the second half of the unknown-type queries", grown>>20)
	}
	// Each 10 MB value passes through gRPC buffers and a decoded string, then is garbage: not kept.
	if grown := rssAfter - rssBefore; grown > 320<<20 {
		t.Errorf("RSS grew by %d MB (%d -> %d MB)", grown>>20, rssBefore>>20, rssAfter>>20)
	}
}

// requestMetrics keeps the backend's own request and error series, the ones labelled from requests.
func requestMetrics(text string) string {
	var own strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "wiretrace_backend_request") || strings.HasPrefix(line, "wiretrace_backend_query_errors") {
			own.WriteString(line + "\n")
		}
	}
	return own.String()
}
