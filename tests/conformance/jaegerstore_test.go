package conformance

// The datasource with Jaeger as its trace store: Jaeger's HTTP and gRPC query APIs replayed from the answers a real
// Jaeger v1.75.0 gave (backend/queries/testdata/jaeger-1.75.0-*-recorded.json, re-recorded by
// scripts/record-jaeger.mjs), every query type answering 200 through the Go SDK host.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

const (
	recordedTrace = "0af7651916cd43dd8448eb211c80319c"
	// The recorded checkout started at 1795260793331694328 ns; the failed payment call 10 ms later, for 3 s.
	paymentCallStartUs = int64(1_795_260_793_341_694)
	paymentCallEndUs   = int64(1_795_260_796_341_694)
)

type recordedHTTP struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Status int    `json:"status"`
	Body   string `json:"body"`
}

type recordedGRPC struct {
	Name    string   `json:"name"`
	Method  string   `json:"method"`
	Code    int      `json:"code"`
	Details string   `json:"details"`
	Chunks  []string `json:"chunks"`
}

func loadRecorded[T any](t *testing.T, kind string) map[string]T {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("../../backend/queries/testdata/jaeger-1.75.0-%s-recorded.json", kind))
	if err != nil {
		t.Fatalf("recorded Jaeger answers: %v", err)
	}
	var file struct {
		Exchanges []json.RawMessage `json:"exchanges"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	out := map[string]T{}
	for _, e := range file.Exchanges {
		var named struct {
			Name string `json:"name"`
		}
		var value T
		if err := json.Unmarshal(e, &named); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(e, &value); err != nil {
			t.Fatal(err)
		}
		out[named.Name] = value
	}
	return out
}

// rawFrames passes protobuf bytes through untouched: the replay needs no generated Jaeger types.
type rawFrames struct{}

func (rawFrames) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawFrames) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawFrames) Name() string { return "proto" }

type jaegerReplay struct {
	httpURL, grpcURL string
	mu               sync.Mutex
	calls            []string
}

func (j *jaegerReplay) record(call string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.calls = append(j.calls, call)
}

func (j *jaegerReplay) called(prefix string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range j.calls {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

func startJaegerReplay(t *testing.T) *jaegerReplay {
	t.Helper()
	httpAnswers := loadRecorded[recordedHTTP](t, "http")
	grpcAnswers := loadRecorded[recordedGRPC](t, "grpc")
	j := &jaegerReplay{}

	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.record("HTTP " + r.URL.Path)
		answer := httpAnswers["traceByIdUnknown"]
		switch {
		case r.URL.Path == "/api/v3/services":
			answer = httpAnswers["services"]
		case r.URL.Path == "/api/v3/traces/"+recordedTrace:
			answer = httpAnswers["traceById"]
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(answer.Status)
		fmt.Fprint(w, answer.Body)
	}))
	t.Cleanup(web.Close)

	replay := func(_ any, stream grpc.ServerStream) error {
		method, _ := grpc.MethodFromServerStream(stream)
		j.record("gRPC " + method)
		var request []byte
		if err := stream.RecvMsg(&request); err != nil {
			return err
		}
		name := map[string]string{
			"/jaeger.api_v3.QueryService/FindTraces":  "findByPod",
			"/jaeger.api_v3.QueryService/GetTrace":    "getTrace",
			"/jaeger.api_v3.QueryService/GetServices": "services",
		}[method]
		answer, ok := grpcAnswers[name]
		if !ok {
			return status.Errorf(codes.Unimplemented, "no recorded answer for %s", method)
		}
		if answer.Code != 0 {
			return status.Error(codes.Code(answer.Code), answer.Details)
		}
		for _, chunk := range answer.Chunks {
			bytes, err := base64.StdEncoding.DecodeString(chunk)
			if err != nil {
				return err
			}
			if err := stream.SendMsg(&bytes); err != nil {
				return err
			}
		}
		return nil
	}
	server := grpc.NewServer(grpc.ForceServerCodec(rawFrames{}), grpc.UnknownServiceHandler(replay))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)

	j.httpURL = web.URL
	j.grpcURL = "http://" + listener.Addr().String()
	return j
}

// A denied payment connection of the pod whose failed call the recorded trace holds.
func paymentDrop() map[string]any {
	return map[string]any{
		"kind": "drop", "time": paymentCallStartUs + 1_000, "endTime": paymentCallEndUs - 1_000, "transport": "tcp",
		"source": "nflog", "node": "node-a",
		"src":  map[string]any{"ip": "10.0.0.5", "port": 41000, "pod": "frontend-1", "namespace": "shop", "service": "frontend"},
		"dst":  map[string]any{"ip": "10.96.14.2", "port": 8443, "namespace": "shop", "service": "payments"},
		"drop": map[string]any{"reason": "policy_denied", "verdict": "dropped", "attempts": 2},
	}
}

func TestJaegerStoreAnswersEveryQueryType(t *testing.T) {
	jaeger := startJaegerReplay(t)
	agent := newAgent(t, "", []map[string]any{paymentDrop()})
	loki := lokiWithLogs(t)
	settings := settingsJSON(t, map[string]any{
		"traceStore": "jaeger",
		"jaeger":     map[string]any{"url": jaeger.httpURL, "grpcUrl": jaeger.grpcURL, "datasourceUid": "jaeger-uid"},
		"loki":       map[string]any{"url": loki.URL},
		"agentUrls":  []string{agent.URL},
	}, nil)
	types := []string{"drops", "traceNetwork", "topology", "flows", "tcpHealth", "dns", "logs"}
	var queries []pluginhost.Query
	for _, qt := range types {
		queries = append(queries, pluginhost.Query{
			RefID: qt, QueryType: qt,
			JSON:   []byte(fmt.Sprintf(`{"queryType":%q,"traceId":%q}`, qt, recordedTrace)),
			FromMS: paymentCallStartUs/1000 - 60_000, ToMS: paymentCallEndUs/1000 + 60_000,
			MaxDataPoints: 1000, IntervalMS: 1000,
		})
	}
	_, res, err := plugin.QueryData(queryCtx(t), settings, queries)
	if err != nil {
		t.Fatalf("QueryData (frames must decode with the SDK reader): %v", err)
	}
	for _, qt := range types {
		dr := res.Responses[qt]
		if dr.Status != 200 || dr.Error != nil {
			t.Errorf("%s: status %d, error %v", qt, dr.Status, dr.Error)
		}
		for _, f := range dr.Frames {
			if _, err := f.RowLen(); err != nil {
				t.Errorf("%s: frame %q: %v", qt, f.Name, err)
			}
		}
	}
	if !jaeger.called("gRPC /jaeger.api_v3.QueryService/FindTraces") {
		t.Errorf("drops did not search Jaeger over gRPC; calls: %v", jaeger.calls)
	}
	if !jaeger.called("HTTP /api/v3/traces/" + recordedTrace) {
		t.Errorf("traceNetwork did not read the trace from Jaeger; calls: %v", jaeger.calls)
	}

	// The drop is matched to the failed payment span Jaeger returned, and its trace opens in the Jaeger datasource.
	matches := frameNamed(t, res.Responses["drops"].Frames, "drop_span_matches")
	traceIDs := fieldByName(t, matches, "trace_id")
	if traceIDs.Len() == 0 {
		t.Fatalf("no drop-span match from the recorded Jaeger spans")
	}
	if got, _ := traceIDs.ConcreteAt(0); got != recordedTrace {
		t.Errorf("matched trace %v, want %s", got, recordedTrace)
	}
	assertJaegerLink(t, traceIDs)

	trace := res.Responses["traceNetwork"].Frames[0]
	if trace.Meta == nil || string(trace.Meta.PreferredVisualization) != "trace" {
		t.Errorf("traceNetwork's first frame is not a trace: %+v", trace.Meta)
	}
	if n, _ := trace.RowLen(); n != 3 {
		t.Errorf("trace frame has %d spans, want the 3 recorded", n)
	}
}

func TestJaegerStoreHealthChecksBothPorts(t *testing.T) {
	jaeger := startJaegerReplay(t)
	settings := settingsJSON(t, map[string]any{
		"traceStore": "jaeger",
		"jaeger":     map[string]any{"url": jaeger.httpURL, "grpcUrl": jaeger.grpcURL},
	}, nil)
	res, err := plugin.CheckHealth(queryCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status.String() != "OK" {
		t.Fatalf("health %s: %s", res.Status, res.Message)
	}
	if !strings.Contains(res.Message, "Jaeger: OK") || !strings.Contains(res.Message, "Jaeger gRPC: OK") {
		t.Errorf("health message does not name both Jaeger ports: %s", res.Message)
	}
}

// lokiWithLogs answers every query_range with the application logs of the backend's Loki fixture.
func lokiWithLogs(t *testing.T) *httptest.Server {
	t.Helper()
	body, err := os.ReadFile("../../backend/queries/testdata/loki-query-range.json")
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func frameNamed(t *testing.T, frames data.Frames, name string) *data.Frame {
	t.Helper()
	for _, f := range frames {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no frame named %q", name)
	return nil
}

func assertJaegerLink(t *testing.T, field *data.Field) {
	t.Helper()
	if field.Config == nil {
		t.Fatalf("field %q has no config", field.Name)
	}
	for _, link := range field.Config.Links {
		if link.Internal != nil && link.Internal.DatasourceUID == "jaeger-uid" {
			return
		}
	}
	t.Errorf("field %q links to no Jaeger datasource: %+v", field.Name, field.Config.Links)
}
