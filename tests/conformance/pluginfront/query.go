package pluginfront

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// The longest a query may take before the front gives up, as Grafana's dataproxy timeout would.
const queryTimeout = 120 * time.Second

type queryBody struct {
	From    string            `json:"from"`
	To      string            `json:"to"`
	Queries []json.RawMessage `json:"queries"`
}

type queryHead struct {
	RefID      string `json:"refId"`
	QueryType  string `json:"queryType"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	MaxDataPoints int64 `json:"maxDataPoints"`
	IntervalMs    int64 `json:"intervalMs"`
}

// handleQuery answers POST /api/ds/query: the SDK's QueryDataResponse JSON, 400 when a query failed.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	var body queryBody
	if err := json.NewDecoder(io.LimitReader(r.Body, 8<<20)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad request data: " + err.Error()})
		return
	}
	if len(body.Queries) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "no queries found"})
		return
	}
	now := time.Now()
	from, errFrom := parseRangeTime(body.From, now)
	to, errTo := parseRangeTime(body.To, now)
	if errFrom != nil || errTo != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": fmt.Sprintf("bad time range from=%q to=%q", body.From, body.To)})
		return
	}
	// One request per datasource, as Grafana groups them.
	groups := map[string]*pluginv2.QueryDataRequest{}
	var order []string
	for _, raw := range body.Queries {
		var head queryHead
		if err := json.Unmarshal(raw, &head); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad query: " + err.Error()})
			return
		}
		if head.Datasource == nil || head.Datasource.UID == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "query " + head.RefID + " names no datasource uid"})
			return
		}
		uid := head.Datasource.UID
		d, id, backendType := s.datasource(uid)
		if d == nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found: " + uid})
			return
		}
		if !backendType {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "datasource " + uid + " (" + d.Type + ") has no backend in this host"})
			return
		}
		if groups[uid] == nil {
			groups[uid] = &pluginv2.QueryDataRequest{PluginContext: s.pluginContext(d, id)}
			order = append(order, uid)
		}
		if head.MaxDataPoints == 0 {
			head.MaxDataPoints = 1000
		}
		if head.IntervalMs == 0 {
			head.IntervalMs = 1000
		}
		groups[uid].Queries = append(groups[uid].Queries, &pluginv2.DataQuery{
			RefId: head.RefID, QueryType: head.QueryType, Json: raw,
			MaxDataPoints: head.MaxDataPoints, IntervalMS: head.IntervalMs,
			TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
		})
	}
	plugin := s.running()
	if plugin == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "plugin unavailable: the backend executable is not running"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), queryTimeout)
	defer cancel()
	merged := backend.NewQueryDataResponse()
	for _, uid := range order {
		raw, err := plugin.Data.QueryData(ctx, groups[uid])
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "plugin query failed: " + err.Error()})
			return
		}
		decoded, err := backend.FromProto().QueryDataResponse(raw)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "plugin answer is not readable: " + err.Error()})
			return
		}
		for refID, res := range decoded.Responses {
			merged.Responses[refID] = res
		}
	}
	status := http.StatusOK
	for _, res := range merged.Responses {
		if res.Error != nil {
			status = http.StatusBadRequest
		}
	}
	out, err := json.Marshal(merged)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "encode response: " + err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// parseRangeTime reads the range as the frontend sends it: epoch milliseconds, now, or now-<duration>.
func parseRangeTime(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" || v == "now":
		return now, nil
	case strings.HasPrefix(v, "now-"):
		d, err := parseDuration(strings.TrimPrefix(v, "now-"))
		return now.Add(-d), err
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err == nil {
		return time.UnixMilli(ms), nil
	}
	return time.Parse(time.RFC3339Nano, v)
}

func parseDuration(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.Atoi(n)
		return time.Duration(days) * 24 * time.Hour, err
	}
	return time.ParseDuration(v)
}
