package conformance

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// Recorded answers of real upstreams (Tempo 2.10.8) and Loki's documented query_range shape, kept with the backend's tests.
const testdata = "../../backend/queries/testdata/"

// recordedUpstream serves recorded bodies by path and remembers which paths were asked for.
type recordedUpstream struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func (u *recordedUpstream) asked(path string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, p := range u.paths {
		if p == path {
			return true
		}
	}
	return false
}

func newRecordedUpstream(t *testing.T, answer func(r *http.Request) (int, []byte)) *recordedUpstream {
	u := &recordedUpstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.paths = append(u.paths, r.URL.Path)
		u.mu.Unlock()
		status, body := answer(r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(u.Close)
	return u
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(testdata + name)
	if err != nil {
		t.Fatalf("recorded upstream body: %v", err)
	}
	return body
}

// recordedTempoTrace reads the trace id and time span of Tempo's recorded trace-by-id answer.
func recordedTempoTrace(t *testing.T, body []byte) (traceID string, startNs, endNs int64) {
	t.Helper()
	var trace struct {
		Trace struct {
			ResourceSpans []struct {
				ScopeSpans []struct {
					Spans []struct {
						TraceID           string `json:"traceId"`
						StartTimeUnixNano string `json:"startTimeUnixNano"`
						EndTimeUnixNano   string `json:"endTimeUnixNano"`
					} `json:"spans"`
				} `json:"scopeSpans"`
			} `json:"resourceSpans"`
		} `json:"trace"`
	}
	if err := json.Unmarshal(body, &trace); err != nil {
		t.Fatal(err)
	}
	for _, rs := range trace.Trace.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				raw, err := base64.StdEncoding.DecodeString(s.TraceID)
				if err != nil {
					t.Fatal(err)
				}
				traceID = hex.EncodeToString(raw)
				start, _ := strconv.ParseInt(s.StartTimeUnixNano, 10, 64)
				end, _ := strconv.ParseInt(s.EndTimeUnixNano, 10, 64)
				if startNs == 0 || start < startNs {
					startNs = start
				}
				if end > endNs {
					endNs = end
				}
			}
		}
	}
	if traceID == "" {
		t.Fatal("the recorded trace has no spans")
	}
	return traceID, startNs, endNs
}

// eventsDuringTrace: what an agent on the trace's node saw while its CLIENT span failed.
func eventsDuringTrace(traceID string, startUs int64) []map[string]any {
	frontend := map[string]any{"ip": "10.0.0.5", "port": 41000, "pod": "frontend-1", "namespace": "shop", "service": "frontend"}
	payments := map[string]any{"ip": "10.96.14.2", "port": 8443, "namespace": "shop", "service": "payments"}
	return []map[string]any{
		{
			"kind": "dns", "time": startUs + 2_000, "transport": "udp", "source": "pcap",
			"src": map[string]any{"ip": "10.0.0.5", "port": 53000, "pod": "frontend-1", "namespace": "shop"},
			"dst": map[string]any{"ip": "10.96.0.10", "port": 53},
			"dns": map[string]any{"id": 7, "query": "payments.shop.svc.cluster.local", "qtype": "A", "rcode": "NOERROR",
				"answers": []string{"10.96.14.2"}, "latencyUs": 800, "answered": true},
		},
		{
			"kind": "drop", "time": startUs + 10_000, "endTime": startUs + 3_010_000, "transport": "tcp", "source": "nflog",
			"src": frontend, "dst": payments, "traceId": traceID, "node": "node-a",
			"drop": map[string]any{"reason": "policy_denied", "verdict": "dropped", "attempts": 3},
		},
		{
			"kind": "flow", "time": startUs + 20_000, "endTime": startUs + 40_000, "transport": "tcp", "source": "pcap",
			"src":  map[string]any{"ip": "10.0.0.5", "port": 41010, "pod": "frontend-1", "namespace": "shop"},
			"dst":  map[string]any{"ip": "10.0.3.3", "port": 8080, "pod": "cart-1", "namespace": "shop", "service": "cart"},
			"node": "node-a",
			"flow": map[string]any{"state": "closed", "toServer": map[string]any{"bytes": 1200, "packets": 6},
				"toClient": map[string]any{"bytes": 5400, "packets": 7},
				"tcp":      map[string]any{"retransmits": 2, "zeroWindow": 0, "lifecycle": 15, "rttAvgUs": 1500}},
		},
	}
}

// Every query type the editor offers answers 200 with Tempo, Loki and an agent configured, and every frame it
// returns is read by the SDK's Arrow reader (QueryData fails when data.UnmarshalArrowFrames rejects a frame).
func TestEveryQueryTypeAnswersWithReadableFrames(t *testing.T) {
	traceBody := readTestdata(t, "tempo-2.10.8-trace-v2-recorded.json")
	traceID, startNs, endNs := recordedTempoTrace(t, traceBody)
	searchBody := readTestdata(t, "tempo-2.10.8-search-recorded.json")
	logsBody := readTestdata(t, "loki-query-range.json")
	noStreams := []byte(`{"status":"success","data":{"resultType":"streams","result":[]}}`)

	tempo := newRecordedUpstream(t, func(r *http.Request) (int, []byte) {
		switch r.URL.Path {
		case "/api/v2/traces/" + traceID:
			return http.StatusOK, traceBody
		case "/api/search":
			return http.StatusOK, searchBody
		}
		// TraceQL metrics were not recorded: Tempo without a metrics-generator answers 404 for them.
		return http.StatusNotFound, []byte(`404 page not found`)
	})
	loki := newRecordedUpstream(t, func(r *http.Request) (int, []byte) {
		if r.URL.Path != "/loki/api/v1/query_range" {
			return http.StatusNotFound, []byte(`404 page not found`)
		}
		// The agents' durable events stream holds nothing here; the application streams hold the recorded lines.
		if strings.HasPrefix(r.URL.Query().Get("query"), `{service_name="wiretrace-agent"`) {
			return http.StatusOK, noStreams
		}
		return http.StatusOK, logsBody
	})
	agent := newAgent(t, "", eventsDuringTrace(traceID, startNs/1000))
	settings := settingsJSON(t, map[string]any{
		"agentUrls": []string{agent.URL},
		"tempo":     map[string]any{"url": tempo.URL, "datasourceUid": "tempo-uid"},
		"loki":      map[string]any{"url": loki.URL, "datasourceUid": "loki-uid"},
	}, nil)

	types := []string{"drops", "traceNetwork", "topology", "flows", "tcpHealth", "dns", "logs", "signals"}
	var queries []pluginhost.Query
	for _, qt := range types {
		queries = append(queries, pluginhost.Query{
			RefID: qt, QueryType: qt,
			JSON:   []byte(fmt.Sprintf(`{"queryType":%q,"traceId":%q}`, qt, traceID)),
			FromMS: startNs/1_000_000 - 60_000, ToMS: endNs/1_000_000 + 60_000,
			MaxDataPoints: 1000, IntervalMS: 1000,
		})
	}
	_, res, err := plugin.QueryData(queryCtx(t), settings, queries)
	if err != nil {
		t.Fatalf("QueryData (frames must decode with the SDK reader): %v", err)
	}
	for _, qt := range types {
		dr, ok := res.Responses[qt]
		if !ok {
			t.Errorf("%s: no response", qt)
			continue
		}
		if dr.Status != 200 || dr.Error != nil {
			t.Errorf("%s: status %d, error %v", qt, dr.Status, dr.Error)
		}
		if len(dr.Frames) == 0 {
			t.Errorf("%s: no frames", qt)
		}
		for _, f := range dr.Frames {
			if _, err := f.RowLen(); err != nil {
				t.Errorf("%s: frame %q: %v", qt, f.Name, err)
			}
			if f.RefID != qt {
				t.Errorf("%s: frame %q has refId %q", qt, f.Name, f.RefID)
			}
		}
		t.Logf("%s: status %d, %d frames", qt, dr.Status, len(dr.Frames))
	}

	for _, path := range []string{"/api/v2/traces/" + traceID, "/api/search"} {
		if !tempo.asked(path) {
			t.Errorf("Tempo was never asked for %s; asked %v", path, tempo.paths)
		}
	}
	if !loki.asked("/loki/api/v1/query_range") {
		t.Errorf("Loki was never queried; asked %v", loki.paths)
	}
	if agent.lastRequest() == nil {
		t.Error("the agent was never asked")
	}

	// The drop is matched to the failed CLIENT span of the recorded Tempo search.
	foundMatches := false
	for _, f := range res.Responses["drops"].Frames {
		if f.Name != "drop_span_matches" {
			continue
		}
		foundMatches = true
		matched := fieldByName(t, f, "trace_id")
		if matched.Len() == 0 {
			t.Errorf("the drop matched no span of the recorded Tempo search")
		} else if got, _ := matched.ConcreteAt(0); got != traceID {
			t.Errorf("the drop matched trace %v, want %s", got, traceID)
		}
	}

	if !foundMatches {
		t.Error("drops returned no drop_span_matches frame")
	}

	// The trace frame is decoded by the SDK: both recorded spans, shown as a trace.
	if frames := res.Responses["traceNetwork"].Frames; len(frames) > 0 {
		trace := frames[0]
		if trace.Meta == nil || string(trace.Meta.PreferredVisualization) != "trace" {
			t.Errorf("traceNetwork's first frame is not a trace: %+v", trace.Meta)
		}
		if n, _ := trace.RowLen(); n != 2 {
			t.Errorf("trace frame has %d spans, want the 2 recorded", n)
		}
	}
	// The logs of the trace are the recorded lines that carry its id, in any of the three forms.
	if frames := res.Responses["logs"].Frames; len(frames) > 0 {
		if n, _ := frames[0].RowLen(); n != 3 {
			t.Errorf("logs frame has %d lines, want the 3 recorded lines of trace %s", n, traceID)
		}
	}
	// Tempo has no TraceQL metrics here: topology still answers, and says so.
	if frames := res.Responses["topology"].Frames; len(frames) > 0 {
		if frames[0].Meta == nil || len(frames[0].Meta.Notices) == 0 {
			t.Error("topology does not say that Tempo's request rates are unavailable")
		}
	}
}
