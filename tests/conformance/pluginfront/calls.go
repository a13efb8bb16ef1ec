package pluginfront

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

const callTimeout = 60 * time.Second

// handleHealth answers as Grafana's /health does: the plugin's status and message, 400 unless OK.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	d, id, backendType := s.datasource(r.PathValue("uid"))
	if d == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found"})
		return
	}
	if !backendType {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "datasource " + d.UID + " has no backend in this host"})
		return
	}
	plugin := s.running()
	if plugin == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "plugin unavailable: the backend executable is not running"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	res, err := plugin.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: s.pluginContext(d, id)})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Plugin health check failed: " + err.Error()})
		return
	}
	out := map[string]any{"status": res.Status.String(), "message": res.Message}
	var details any
	if len(res.JsonDetails) > 0 && json.Unmarshal(res.JsonDetails, &details) == nil {
		out["details"] = details
	}
	status := http.StatusOK
	if res.Status != pluginv2.CheckHealthResponse_OK {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, out)
}

// handleResource relays /resources/<path> to CallResource with the method, query, headers and body.
func (s *Server) handleResource(w http.ResponseWriter, r *http.Request) {
	d, id, backendType := s.datasource(r.PathValue("uid"))
	if d == nil || !backendType {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found"})
		return
	}
	plugin := s.running()
	if plugin == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "plugin unavailable: the backend executable is not running"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "read body: " + err.Error()})
		return
	}
	path := r.PathValue("path")
	url := path
	if r.URL.RawQuery != "" {
		url += "?" + r.URL.RawQuery
	}
	headers := map[string]*pluginv2.StringList{}
	for k, v := range r.Header {
		if k == "Cookie" || k == "Authorization" {
			continue
		}
		headers[k] = &pluginv2.StringList{Values: v}
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	stream, err := plugin.Resource.CallResource(ctx, &pluginv2.CallResourceRequest{
		PluginContext: s.pluginContext(d, id), Path: path, Method: r.Method, Url: url, Headers: headers, Body: body,
	})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "resource call failed: " + err.Error()})
		return
	}
	wrote := false
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !wrote {
				writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "resource call failed: " + err.Error()})
			}
			return
		}
		if !wrote {
			for k, v := range msg.Headers {
				for _, value := range v.GetValues() {
					w.Header().Add(k, value)
				}
			}
			code := int(msg.Code)
			if code == 0 {
				code = http.StatusOK
			}
			w.WriteHeader(code)
			wrote = true
		}
		_, _ = w.Write(msg.Body)
	}
	if !wrote {
		w.WriteHeader(http.StatusNoContent)
	}
}
