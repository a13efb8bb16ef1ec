package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// When Grafana cancels a query (dashboard closed, request timeout), the plugin must stop waiting on upstreams.
func TestCancellationReachesTheUpstreamRequest(t *testing.T) {
	upstreamGone := make(chan time.Duration, 1)
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started := time.Now()
		select {
		case <-r.Context().Done():
			upstreamGone <- time.Since(started)
		case <-time.After(20 * time.Second):
			w.Write([]byte(`{"events":[]}`))
		}
	}))
	t.Cleanup(agent.Close)
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}, "timeoutMs": 60000}, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, _, err := plugin.QueryData(ctx, settings, []pluginhost.Query{flowsQuery("A", "")})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	select {
	case held := <-upstreamGone:
		if held > 3*time.Second {
			t.Errorf("the upstream request stayed open %s after Grafana gave up", held)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the plugin kept the upstream request open after the query was cancelled")
	}
}

func TestUpstreamTimeoutIsAGatewayTimeout(t *testing.T) {
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(agent.Close)
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}, "timeoutMs": 200}, nil)
	_, res, err := plugin.QueryData(queryCtx(t), settings, []pluginhost.Query{flowsQuery("A", "")})
	if err != nil {
		t.Fatal(err)
	}
	expectError(t, res.Responses["A"], 504, "downstream", "did not answer within 200 ms")
}
