package conformance

// A plugin process of a test's own (memory measured alone, log read alone) and the raw calls the probes need.

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

type ownPlugin struct {
	*pluginhost.Plugin
	log *syncBuffer
}

func startOwnPlugin(t *testing.T) *ownPlugin {
	t.Helper()
	log := &syncBuffer{}
	p, err := pluginhost.Start(pluginhost.Options{Executable: executablePath(), Stderr: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return &ownPlugin{Plugin: p, log: log}
}

// rssBytes reads the resident set size of the plugin process from /proc.
func (p *ownPlugin) rssBytes(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(p.Pid()) + "/status")
	if err != nil {
		t.Fatalf("plugin memory: %v", err)
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if rest, ok := strings.CutPrefix(scanner.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmRSS %q: %v", rest, err)
			}
			return kb * 1024
		}
	}
	t.Fatal("no VmRSS line in /proc status")
	return 0
}

// probeCtx bounds one probe: generous for a busy machine, yet a hang fails the test instead of the run.
func probeCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

type resourceCall struct {
	method, path, url string
	body              []byte
}

// callResource sends any method, path, URL and body, as Grafana's resource proxy may.
func callResource(ctx context.Context, p *pluginhost.Plugin, s pluginhost.Settings, c resourceCall) (int, []byte, error) {
	stream, err := p.Resource.CallResource(ctx, &pluginv2.CallResourceRequest{
		PluginContext: s.PluginContext(), Path: c.path, Method: c.method, Url: c.url, Body: c.body,
	})
	if err != nil {
		return 0, nil, err
	}
	code := 0
	var body []byte
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return code, body, nil
		}
		if err != nil {
			return 0, nil, err
		}
		if msg.Code != 0 {
			code = int(msg.Code)
		}
		body = append(body, msg.Body...)
	}
}
