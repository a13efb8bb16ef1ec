package conformance

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

const (
	tempoToken = "tempo-secret-0d5e2b"
	lokiToken  = "loki-secret-77aa41"
)

type upstreamDetail struct {
	Name         string `json:"name"`
	State        string `json:"state"`
	Reachable    bool   `json:"reachable"`
	AuthAccepted *bool  `json:"authAccepted"`
	Version      string `json:"version"`
}

func healthDetails(t *testing.T, res *pluginv2.CheckHealthResponse) map[string]upstreamDetail {
	t.Helper()
	var details struct {
		Upstreams []upstreamDetail `json:"upstreams"`
	}
	if err := json.Unmarshal(res.JsonDetails, &details); err != nil {
		t.Fatalf("jsonDetails: %v (%s)", err, res.JsonDetails)
	}
	out := map[string]upstreamDetail{}
	for _, u := range details.Upstreams {
		out[strings.Fields(u.Name)[0]] = u
	}
	return out
}

func TestCheckHealthReportsEachUpstream(t *testing.T) {
	tempo := grafanaStackServer(t, "/api/status/buildinfo", "2.6.1", tempoToken)
	loki := grafanaStackServer(t, "/loki/api/v1/status/buildinfo", "3.4.2", lokiToken)
	agent := newAgent(t, agentToken, nil)
	settings := settingsJSON(t, map[string]any{
		"tempo":     map[string]any{"url": tempo.URL, "auth": "bearer"},
		"loki":      map[string]any{"url": loki.URL, "auth": "bearer"},
		"agentUrls": []string{agent.URL},
	}, map[string]string{"tempoToken": tempoToken, "lokiToken": lokiToken, "agentToken": agentToken})

	res, err := plugin.CheckHealth(queryCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("status = %s: %s", res.Status, res.Message)
	}
	d := healthDetails(t, res)
	if d["Tempo"].Version != "2.6.1" || d["Loki"].Version != "3.4.2" || d["agent"].State != "ok" {
		t.Errorf("details = %+v", d)
	}
	if !strings.Contains(res.Message, "Tempo: OK (version 2.6.1)") {
		t.Errorf("message = %q", res.Message)
	}
}

func TestCheckHealthSaysWhichAuthWasRejected(t *testing.T) {
	tempo := grafanaStackServer(t, "/api/status/buildinfo", "2.6.1", tempoToken)
	loki := grafanaStackServer(t, "/loki/api/v1/status/buildinfo", "3.4.2", lokiToken)
	wrong := "wrong-loki-secret-5c2e9f"
	settings := settingsJSON(t, map[string]any{
		"tempo":     map[string]any{"url": tempo.URL, "auth": "bearer"},
		"loki":      map[string]any{"url": loki.URL, "auth": "bearer"},
		"agentUrls": []string{"http://127.0.0.1:1"},
	}, map[string]string{"tempoToken": tempoToken, "lokiToken": wrong})

	res, err := plugin.CheckHealth(queryCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != pluginv2.CheckHealthResponse_ERROR {
		t.Fatalf("status = %s, want ERROR", res.Status)
	}
	d := healthDetails(t, res)
	if d["Tempo"].State != "ok" || d["Loki"].State != "auth_rejected" || d["agent"].State != "unreachable" {
		t.Errorf("states = %+v", d)
	}
	if !strings.Contains(res.Message, "Loki: auth rejected (HTTP 401") {
		t.Errorf("message = %q", res.Message)
	}
	// Loki echoes the Authorization header in its 401 body; the secret must still appear nowhere.
	time.Sleep(200 * time.Millisecond)
	for where, text := range map[string]string{"message": res.Message, "details": string(res.JsonDetails), "logs": pluginLog.String()} {
		if strings.Contains(text, wrong) || strings.Contains(text, tempoToken) {
			t.Errorf("a secret leaked into the %s", where)
		}
	}
}

func TestCheckHealthWithNothingConfigured(t *testing.T) {
	res, err := plugin.CheckHealth(queryCtx(t), settingsJSON(t, map[string]any{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(res.Message, "No upstream configured") {
		t.Errorf("status %s message %q", res.Status, res.Message)
	}
}

func TestInvalidSettingsNameTheField(t *testing.T) {
	settings := settingsJSON(t, map[string]any{"tempo": map[string]any{"url": "ftp://tempo"}}, nil)
	res, err := plugin.CheckHealth(queryCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(res.Message, "jsonData.tempo.url must use http or https") {
		t.Errorf("status %s message %q", res.Status, res.Message)
	}
}

func TestCallResourceRoutes(t *testing.T) {
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	cases := []struct {
		path   string
		status int
		want   string
	}{
		{"namespaces", 200, `{"namespaces":[{"name":"data"},{"name":"shop"}],"warnings":[]}`},
		{"pods?namespace=shop", 200, `{"pods":[{"name":"cart-1","namespace":"shop"},{"name":"checkout-7d9","namespace":"shop"}],"warnings":[]}`},
		{"services?namespace=data", 200, `{"services":[{"name":"postgres","namespace":"data"}],"warnings":[]}`},
		{"policies", 200, `{"policies":[{"name":"db-ingress"},{"name":"shop-egress"}],"warnings":[]}`},
	}
	for _, c := range cases {
		code, body, err := plugin.CallResource(queryCtx(t), settings, c.path)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if code != c.status || string(body) != c.want {
			t.Errorf("%s: %d %s, want %d %s", c.path, code, body, c.status, c.want)
		}
	}
	code, body, err := plugin.CallResource(queryCtx(t), settings, "nodes")
	if err != nil {
		t.Fatal(err)
	}
	var notFound map[string]any
	if code != 404 || json.Unmarshal(body, &notFound) != nil || !strings.Contains(notFound["error"].(string), "nodes") {
		t.Errorf("unknown route: %d %s", code, body)
	}
}

func TestCollectMetricsCountsRequestsByQueryType(t *testing.T) {
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	if _, _, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{flowsQuery("A", "")}); err != nil {
		t.Fatal(err)
	}
	text, err := plugin.CollectMetrics(queryCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`wiretrace_backend_requests_total{endpoint="queryData",query_type="flows",status="200"}`,
		"wiretrace_backend_request_duration_seconds_bucket",
		"wiretrace_backend_process_cpu_seconds_total",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// go-plugin re-logs a plugin's stderr line as a structured entry only when it parses as hclog JSON;
// anything else comes out as a raw debug line.
func TestLogLinesAreParsedAsHclogEntries(t *testing.T) {
	var structured bool
	for _, line := range strings.Split(pluginLog.String(), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) != nil {
			continue
		}
		if entry["@message"] == "plugin serving" && entry["@level"] == "info" && entry["address"] != nil {
			structured = true
		}
	}
	if !structured {
		t.Errorf("no structured 'plugin serving' entry in the host log:\n%s", pluginLog.String())
	}
}

func TestGoPluginHealthAndShutdown(t *testing.T) {
	if err := plugin.Health.Ping(); err != nil {
		t.Fatalf("go-plugin health ping: %v", err)
	}
	// A second process, stopped the way Grafana stops plugins: the GRPCController Shutdown call.
	p, err := pluginhost.Start(pluginhost.Options{Executable: executablePath()})
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	p.Kill()
	if !p.Exited() {
		t.Fatal("plugin still running after Kill")
	}
	// go-plugin force-kills after 2 s; a clean exit on Shutdown is well under that.
	if took := time.Since(started); took > 1500*time.Millisecond {
		t.Errorf("shutdown took %s: the plugin did not exit on the Shutdown RPC", took)
	}
}
