package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// The plugin under test, started once through go-plugin exactly as Grafana starts it.
var (
	plugin    *pluginhost.Plugin
	pluginLog = &syncBuffer{}
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func executablePath() string {
	if p := os.Getenv("WIRETRACE_PLUGIN"); p != "" {
		return p
	}
	abs, _ := filepath.Abs("../../dist/datasource/gpx_wiretrace_linux_amd64")
	return abs
}

func TestMain(m *testing.M) {
	var err error
	plugin, err = pluginhost.Start(pluginhost.Options{Executable: executablePath(), Stderr: pluginLog})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the plugin:", err)
		os.Exit(1)
	}
	code := m.Run()
	plugin.Kill()
	os.Exit(code)
}

func settingsJSON(t *testing.T, jsonData map[string]any, secure map[string]string) pluginhost.Settings {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	return pluginhost.Settings{UID: "wiretrace-test", Name: "Wiretrace", JSONData: raw, Secure: secure}
}
