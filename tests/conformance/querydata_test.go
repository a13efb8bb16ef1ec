package conformance

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

const agentToken = "agent-token-3f9a1c77"

func flowsQuery(refID string, extra string) pluginhost.Query {
	body := `{"queryType":"flows"` + extra + `}`
	return pluginhost.Query{
		RefID: refID, QueryType: "flows", JSON: []byte(body),
		FromMS: 1_699_999_000_000, ToMS: 1_700_001_000_000, MaxDataPoints: 1000, IntervalMS: 1000,
	}
}

func queryCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func fieldByName(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	field, idx := f.FieldByName(name)
	if idx < 0 {
		t.Fatalf("frame %q has no field %q", f.Name, name)
	}
	return field
}

func TestFlowsFrameDecodesWithTheSDKReader(t *testing.T) {
	agent := newAgent(t, agentToken, sampleEvents())
	settings := settingsJSON(t, map[string]any{
		"agentUrls": []string{agent.URL},
		"tempo":     map[string]any{"url": "http://127.0.0.1:1", "datasourceUid": "tempo-uid"},
	}, map[string]string{"agentToken": agentToken})

	raw, res, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{flowsQuery("A", "")})
	if err != nil {
		t.Fatal(err)
	}
	// Decode the raw bytes again with the SDK's reader directly, as Grafana's query service does.
	frames, err := data.UnmarshalArrowFrames(raw.Responses["A"].Frames)
	if err != nil {
		t.Fatalf("UnmarshalArrowFrames: %v", err)
	}
	if len(frames) != 1 {
		t.Fatalf("want 1 frame, got %d", len(frames))
	}
	dr := res.Responses["A"]
	if dr.Status != backend.StatusOK || dr.Error != nil {
		t.Fatalf("status %d error %v", dr.Status, dr.Error)
	}
	f := frames[0]
	if f.Name != "flows" || f.RefID != "A" {
		t.Errorf("name/refId = %q/%q", f.Name, f.RefID)
	}
	if f.Meta == nil || f.Meta.PreferredVisualization != data.VisTypeTable {
		t.Errorf("meta = %+v, want preferredVisualisationType table", f.Meta)
	}
	if rows, _ := f.RowLen(); rows != 3 {
		t.Fatalf("rows = %d, want 3", rows)
	}
	wantTypes := map[string]data.FieldType{
		"time": data.FieldTypeTime, "endTime": data.FieldTypeNullableTime, "kind": data.FieldTypeString,
		"src_pod": data.FieldTypeNullableString, "src_ip": data.FieldTypeString, "src_port": data.FieldTypeNullableInt64,
		"bytes": data.FieldTypeNullableInt64, "retransmits": data.FieldTypeNullableInt64, "rtt": data.FieldTypeNullableFloat64,
		"reason": data.FieldTypeNullableString, "trace_id": data.FieldTypeNullableString, "state": data.FieldTypeNullableString,
	}
	for name, want := range wantTypes {
		if got := fieldByName(t, f, name).Type(); got != want {
			t.Errorf("field %s type = %s, want %s", name, got, want)
		}
	}
	// Microsecond event times survive as nanoseconds.
	if got := fieldByName(t, f, "time").At(0).(time.Time); got.UnixNano() != 1_700_000_000_000_001_000 {
		t.Errorf("time[0] = %d ns", got.UnixNano())
	}
	if got := fieldByName(t, f, "endTime").At(1).(*time.Time); got != nil {
		t.Errorf("endTime[1] = %v, want null", got)
	}
	if got := *fieldByName(t, f, "reason").At(0).(*string); got != "policy_denied" {
		t.Errorf("reason[0] = %q", got)
	}
	if got := *fieldByName(t, f, "bytes").At(1).(*int64); got != 6600 {
		t.Errorf("bytes[1] = %d, want 6600", got)
	}
	if got := *fieldByName(t, f, "retransmits").At(1).(*int64); got != 2 {
		t.Errorf("retransmits[1] = %d", got)
	}
	if got := *fieldByName(t, f, "rtt").At(1).(*float64); got != 1.5 {
		t.Errorf("rtt[1] = %v ms, want 1.5", got)
	}
	if got := fieldByName(t, f, "rtt").Config; got == nil || got.Unit != "ms" {
		t.Errorf("rtt config = %+v, want unit ms", got)
	}
	if got := *fieldByName(t, f, "state").At(2).(*string); got != "NOERROR" {
		t.Errorf("state[2] = %q", got)
	}
	traceField := fieldByName(t, f, "trace_id")
	if got := *traceField.At(0).(*string); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("trace_id[0] = %q", got)
	}
	if traceField.At(1).(*string) != nil {
		t.Errorf("trace_id[1] should be null")
	}
	if traceField.Config == nil || len(traceField.Config.Links) != 1 || traceField.Config.Links[0].Internal == nil {
		t.Fatalf("trace_id links = %+v", traceField.Config)
	}
	if uid := traceField.Config.Links[0].Internal.DatasourceUID; uid != "tempo-uid" {
		t.Errorf("trace link datasourceUid = %q", uid)
	}

	req := agent.lastRequest()
	if req == nil {
		t.Fatal("the agent was never asked")
	}
	if got := req.URL.Query().Get("from"); got != "1699999000000000000" {
		t.Errorf("agent from = %q, want Unix ns", got)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+agentToken {
		t.Errorf("agent Authorization = %q", got)
	}
}

func TestEachQueryIsAnsweredOnItsOwn(t *testing.T) {
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	queries := []pluginhost.Query{
		flowsQuery("ok", `,"kinds":["drop"]`),
		flowsQuery("badLimit", `,"limit":"lots"`),
		{RefID: "malformed", JSON: []byte(`{"queryType":"flows",`)},
		{RefID: "unknown", JSON: []byte(`{"queryType":"packets"}`)},
		{RefID: "missing", JSON: []byte(`{}`)},
	}
	_, res, err := plugin.QueryData(queryCtx(t), settings, queries)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Responses) != len(queries) {
		t.Fatalf("got %d responses for %d queries", len(res.Responses), len(queries))
	}
	if ok := res.Responses["ok"]; ok.Status != 200 || ok.Error != nil || len(ok.Frames) != 1 {
		t.Errorf("ok: status %d error %v frames %d", ok.Status, ok.Error, len(ok.Frames))
	}
	expectError(t, res.Responses["badLimit"], 400, backend.ErrorSourcePlugin, "limit must be an integer")
	expectError(t, res.Responses["malformed"], 400, backend.ErrorSourcePlugin, "query JSON is malformed")
	expectError(t, res.Responses["unknown"], 400, backend.ErrorSourcePlugin, `unknown queryType "packets"; valid query types: drops, traceNetwork, topology, flows, tcpHealth, dns, logs`)
	expectError(t, res.Responses["missing"], 400, backend.ErrorSourcePlugin, "queryType is missing")
}

func expectError(t *testing.T, dr backend.DataResponse, status backend.Status, source backend.ErrorSource, text string) {
	t.Helper()
	if dr.Status != status {
		t.Errorf("status = %d, want %d (error %v)", dr.Status, status, dr.Error)
	}
	if dr.ErrorSource != source {
		t.Errorf("errorSource = %q, want %q", dr.ErrorSource, source)
	}
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), text) {
		t.Errorf("error = %v, want it to contain %q", dr.Error, text)
	}
}

func TestPartialResultsNameTheFailedAgent(t *testing.T) {
	good := newAgent(t, "", sampleEvents())
	bad := failingServer(t, 503)
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{good.URL, bad.URL}}, nil)
	_, res, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{flowsQuery("A", "")})
	if err != nil {
		t.Fatal(err)
	}
	dr := res.Responses["A"]
	if dr.Status != 200 || len(dr.Frames) != 1 {
		t.Fatalf("status %d frames %d error %v", dr.Status, len(dr.Frames), dr.Error)
	}
	notices := dr.Frames[0].Meta.Notices
	if len(notices) != 1 || notices[0].Severity != data.NoticeSeverityWarning || !strings.Contains(notices[0].Text, bad.URL) {
		t.Errorf("notices = %+v, want one warning naming %s", notices, bad.URL)
	}
}

func TestAllAgentsFailingIsADownstreamError(t *testing.T) {
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{failingServer(t, 500).URL, "http://127.0.0.1:1"}}, nil)
	_, res, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{flowsQuery("A", "")})
	if err != nil {
		t.Fatal(err)
	}
	expectError(t, res.Responses["A"], 502, backend.ErrorSourceDownstream, "all 2 capture agents failed")
}

func TestRowLimitTruncatesWithANotice(t *testing.T) {
	agent := newAgent(t, "", manyEvents(20, 8))
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}, "maxRows": 5}, nil)
	_, res, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{flowsQuery("A", "")})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Responses["A"].Frames[0]
	if rows, _ := f.RowLen(); rows != 5 {
		t.Errorf("rows = %d, want 5", rows)
	}
	if f.Meta == nil || len(f.Meta.Notices) == 0 || !strings.Contains(f.Meta.Notices[0].Text, "first 5 of 20 rows") {
		t.Errorf("meta = %+v, want a truncation notice", f.Meta)
	}
}

func TestLargeRequestsAndResponsesPassTheGRPCLimits(t *testing.T) {
	const rows = 40_000
	agent := newAgent(t, "", manyEvents(rows, 120))
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}, "maxRows": rows}, nil)
	// A 5 MiB query JSON: more than gRPC's default 4 MiB message limit.
	padding, _ := json.Marshal(strings.Repeat("x", 5<<20))
	q := flowsQuery("A", `,"limit":`+"40000"+`,"editorNotes":`+string(padding))
	raw, res, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{q})
	if err != nil {
		t.Fatal(err)
	}
	if dr := res.Responses["A"]; dr.Status != 200 {
		t.Fatalf("status %d error %v", dr.Status, dr.Error)
	}
	size := 0
	for _, b := range raw.Responses["A"].Frames {
		size += len(b)
	}
	if size <= 4<<20 {
		t.Errorf("response frames are %d bytes; the test needs more than 4 MiB", size)
	}
	f := res.Responses["A"].Frames[0]
	if n, _ := f.RowLen(); n != rows {
		t.Errorf("rows = %d, want %d", n, rows)
	}
}
