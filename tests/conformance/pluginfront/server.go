package pluginfront

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// Options say where the executable, the built plugin and the host page are.
type Options struct {
	Executable string
	// AppID is the app plugin's id; DistDir is served at /public/plugins/<AppID>/ as Grafana serves it.
	AppID   string
	DistDir string
	// WebDir holds the host page (index.html and its scripts), served at /host/ and for every app route.
	WebDir    string
	PluginLog io.Writer
}

// Server answers the Grafana HTTP API a plugin frontend uses, with the backend executable behind it.
type Server struct {
	opts   Options
	config *Config

	mu      sync.Mutex
	plugin  *pluginhost.Plugin
	updated map[string]int64
}

// New starts the backend executable and returns the server in front of it.
func New(opts Options, config *Config) (*Server, error) {
	s := &Server{opts: opts, config: config, updated: map[string]int64{}}
	if err := s.startPlugin(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) startPlugin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plugin != nil && !s.plugin.Exited() {
		return nil
	}
	p, err := pluginhost.Start(pluginhost.Options{Executable: s.opts.Executable, Stderr: s.opts.PluginLog})
	if err != nil {
		return err
	}
	s.plugin = p
	return nil
}

// Close stops the backend executable.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plugin != nil {
		s.plugin.Kill()
	}
}

// running is the live plugin, or nil when it was stopped or has exited.
func (s *Server) running() *pluginhost.Plugin {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plugin == nil || s.plugin.Exited() {
		return nil
	}
	return s.plugin
}

// Handler routes Grafana's API paths, the plugin's files and the host page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"database": "ok", "version": "host"})
	})
	mux.HandleFunc("POST /api/ds/query", s.handleQuery)
	mux.HandleFunc("GET /api/datasources", s.handleList)
	mux.HandleFunc("GET /api/datasources/uid/{uid}", s.handleGet)
	mux.HandleFunc("PUT /api/datasources/uid/{uid}", s.handleUpdate)
	mux.HandleFunc("GET /api/datasources/uid/{uid}/health", s.handleHealth)
	for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		mux.HandleFunc(method+" /api/datasources/uid/{uid}/resources/{path...}", s.handleResource)
		mux.HandleFunc(method+" /api/", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not found: " + r.URL.Path})
		})
	}
	mux.HandleFunc("GET /api/plugins/{id}/settings", s.handlePluginSettings)
	mux.HandleFunc("GET /api/dashboards/uid/{uid}", s.handleDashboard)
	mux.HandleFunc("POST /api/host/plugin/{action}", s.handlePluginControl)
	plugins := "/public/plugins/" + s.opts.AppID + "/"
	mux.Handle("GET "+plugins, http.StripPrefix(plugins, noDirectories(http.FileServer(http.Dir(s.opts.DistDir)))))
	// Grafana's own fonts are not part of the frontend libraries; the page falls back to system fonts.
	mux.HandleFunc("GET /public/fonts/", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// @grafana/ui's icons (its published public/img), where Grafana's build serves them.
	mux.HandleFunc("GET /public/build/img/icons/{path...}", s.handleIcon)
	mux.HandleFunc("GET /public/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("GET /host/boot.js", s.handleBoot)
	mux.Handle("GET /host/", http.StripPrefix("/host/", noDirectories(http.FileServer(http.Dir(s.opts.WebDir)))))
	// Every other page (/a/<app>/…, /explore, /d/…, /connections/…) is the host page, as Grafana's SPA.
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFile(w, r, filepath.Join(s.opts.WebDir, "index.html"))
	})
	return mux
}

func noDirectories(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// emptyIcon stands in for the few icons only Grafana's own build has (the spinner): a blank, not a 404.
const emptyIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"></svg>`

func (s *Server) handleIcon(w http.ResponseWriter, r *http.Request) {
	rel := filepath.Clean("/" + r.PathValue("path"))
	path := filepath.Join(s.opts.WebDir, "icons", rel)
	if _, err := os.Stat(path); err == nil && strings.HasSuffix(path, ".svg") {
		http.ServeFile(w, r, path)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	fmt.Fprint(w, emptyIcon)
}

func (s *Server) handleBoot(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "window.grafanaBootData = %s;\n", s.config.Boot)
}

func (s *Server) handlePluginSettings(w http.ResponseWriter, r *http.Request) {
	meta, ok := s.config.PluginSettings[r.PathValue("id")]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Plugin not found, no installed plugin with that id"})
		return
	}
	writeJSON(w, http.StatusOK, meta)
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	dashboard, ok := s.config.Dashboards[r.PathValue("uid")]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Dashboard not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"dashboard": dashboard,
		"meta":      map[string]any{"slug": r.PathValue("uid"), "provisioned": true, "canEdit": false},
	})
}

func (s *Server) handlePluginControl(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("action") {
	case "stop":
		s.mu.Lock()
		if s.plugin != nil {
			s.plugin.Kill()
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]string{"message": "backend stopped"})
	case "start":
		if err := s.startPlugin(); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": "backend started"})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "unknown action " + r.PathValue("action")})
	}
}

// datasource finds an instance by uid; backend says whether the executable answers for it.
func (s *Server) datasource(uid string) (*Datasource, int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.config.Datasources {
		if s.config.Datasources[i].UID == uid {
			d := s.config.Datasources[i]
			return &d, i + 1, d.Type == s.config.BackendType
		}
	}
	return nil, 0, false
}

// pluginContext is what Grafana sends with each call; LastUpdatedMS changes when the settings are saved,
// so the backend's instance manager builds a new instance as it does under Grafana.
func (s *Server) pluginContext(d *Datasource, id int) *pluginv2.PluginContext {
	s.mu.Lock()
	updated := s.updated[d.UID]
	s.mu.Unlock()
	if updated == 0 {
		updated = 1
	}
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: s.config.BackendType,
		User:     &pluginv2.User{Login: "admin", Name: "admin", Role: "Admin"},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: int64(id), Uid: d.UID, Name: d.Name, Url: d.URL, JsonData: d.JSONData,
			DecryptedSecureJsonData: d.SecureJSONData, LastUpdatedMS: updated,
		},
	}
}

func (s *Server) handleList(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for i, d := range s.config.Datasources {
		out = append(out, d.public(i+1))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	d, id, _ := s.datasource(r.PathValue("uid"))
	if d == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found"})
		return
	}
	writeJSON(w, http.StatusOK, d.public(id))
}

// handleUpdate saves settings as Grafana's PUT does: secrets not sent are kept, sent ones replace.
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name           string            `json:"name"`
		URL            string            `json:"url"`
		JSONData       json.RawMessage   `json:"jsonData"`
		SecureJSONData map[string]string `json:"secureJsonData"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad request data: " + err.Error()})
		return
	}
	uid := r.PathValue("uid")
	s.mu.Lock()
	var saved *Datasource
	id := 0
	for i := range s.config.Datasources {
		d := &s.config.Datasources[i]
		if d.UID != uid {
			continue
		}
		if body.Name != "" {
			d.Name = body.Name
		}
		d.URL = body.URL
		if len(body.JSONData) > 0 {
			d.JSONData = body.JSONData
		}
		if d.SecureJSONData == nil {
			d.SecureJSONData = map[string]string{}
		}
		for k, v := range body.SecureJSONData {
			d.SecureJSONData[k] = v
		}
		s.updated[uid] = time.Now().UnixMilli()
		copied := *d
		saved, id = &copied, i+1
	}
	s.mu.Unlock()
	if saved == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"datasource": saved.public(id), "id": id, "name": saved.Name, "message": "Datasource updated",
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "pluginfront: write response:", err)
	}
}
