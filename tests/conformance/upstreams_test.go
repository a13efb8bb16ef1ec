package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// agentServer is a capture agent's HTTP API (GET /api/v1/events, /healthz) over a fixed list of events.
type agentServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func newAgent(t *testing.T, token string, events []map[string]any) *agentServer {
	a := &agentServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.requests = append(a.requests, r.Clone(r.Context()))
		a.mu.Unlock()
		if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/healthz":
			fmt.Fprint(w, `{"status":"ok","node":"node-a"}`)
		case "/api/v1/topology":
			fmt.Fprint(w, `{"edges":[{"src":{"ip":"10.0.1.5","namespace":"shop","pod":"checkout-7d9","service":"checkout"},`+
				`"dst":{"ip":"10.0.2.9","namespace":"data","pod":"db-0","service":"postgres"},`+
				`"flows":4,"requests":0,"errors":0,"drops":3,"retransmits":1,"packets":12,"rttP95Us":null}]}`)
		case "/api/v1/events":
			_ = json.NewEncoder(w).Encode(map[string]any{"node": "node-a", "events": events, "truncated": false})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *agentServer) lastRequest() *http.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.requests) == 0 {
		return nil
	}
	return a.requests[len(a.requests)-1]
}

// failingServer answers every request with the given status.
func failingServer(t *testing.T, status int) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream is broken", status)
	}))
	t.Cleanup(s.Close)
	return s
}

// grafanaStackServer is Tempo's or Loki's /ready and buildinfo endpoints, the API behind a bearer token.
func grafanaStackServer(t *testing.T, buildInfoPath, version, token string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ready":
			fmt.Fprint(w, "ready")
		case buildInfoPath:
			if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
				http.Error(w, "invalid credentials "+r.Header.Get("Authorization"), http.StatusUnauthorized)
				return
			}
			fmt.Fprintf(w, `{"version":%q,"revision":"abc","branch":"HEAD","goVersion":"go1.24"}`, version)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// sampleEvents: a policy drop with a trace id, an established flow with TCP health, and DNS.
func sampleEvents() []map[string]any {
	return []map[string]any{
		{
			"kind": "drop", "time": int64(1_700_000_000_000_001), "endTime": int64(1_700_000_003_000_000), "transport": "tcp", "source": "nflog",
			"src":     map[string]any{"ip": "10.0.1.5", "port": 40000, "pod": "checkout-7d9", "namespace": "shop", "service": "checkout"},
			"dst":     map[string]any{"ip": "10.0.2.9", "port": 5432, "pod": "db-0", "namespace": "data", "service": "postgres"},
			"traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
			"node":    "node-a",
			"drop": map[string]any{"reason": "policy_denied", "verdict": "dropped", "attempts": 3,
				"policy": map[string]any{"allowed": false,
					"egress":  map[string]any{"allowed": true, "policies": []string{"shop-egress"}, "reason": "allowed"},
					"ingress": map[string]any{"allowed": false, "policies": []string{"db-ingress"}, "reason": "no rule allows shop"}}},
		},
		{
			"kind": "flow", "time": int64(1_700_000_010_000_000), "transport": "tcp", "source": "pcap",
			"src":  map[string]any{"ip": "10.0.1.5", "port": 40010, "pod": "checkout-7d9", "namespace": "shop"},
			"dst":  map[string]any{"ip": "10.0.3.3", "port": 8080, "pod": "cart-1", "namespace": "shop", "service": "cart"},
			"node": "node-a",
			"flow": map[string]any{"state": "established", "toServer": map[string]any{"bytes": 1200, "packets": 6},
				"toClient": map[string]any{"bytes": 5400, "packets": 7},
				"tcp":      map[string]any{"retransmits": 2, "zeroWindow": 0, "lifecycle": 15, "rttAvgUs": 1500}},
		},
		{
			"kind": "dns", "time": int64(1_700_000_020_000_000), "transport": "udp", "source": "pcap",
			"src": map[string]any{"ip": "10.0.1.5", "port": 53000, "pod": "checkout-7d9", "namespace": "shop"},
			"dst": map[string]any{"ip": "10.96.0.10", "port": 53},
			"dns": map[string]any{"id": 7, "query": "cart.shop.svc.cluster.local", "qtype": "A", "rcode": "NOERROR",
				"answers": []string{"10.0.3.3"}, "latencyUs": 800, "answered": true},
		},
	}
}

// manyEvents: n flow events with long pod names, for row-limit and message-size tests.
func manyEvents(n int, podNameLength int) []map[string]any {
	pod := strings.Repeat("p", podNameLength)
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{
			"kind": "flow", "time": int64(1_700_000_000_000_000 + i), "transport": "tcp", "source": "pcap",
			"src":  map[string]any{"ip": "10.0.0.1", "port": 30000 + i%30000, "pod": fmt.Sprintf("%s-%d", pod, i), "namespace": "bulk"},
			"dst":  map[string]any{"ip": "10.0.0.2", "port": 80},
			"flow": map[string]any{"state": "closed", "toServer": map[string]any{"bytes": i, "packets": 1}, "toClient": map[string]any{"bytes": 0, "packets": 0}},
		}
	}
	return out
}
