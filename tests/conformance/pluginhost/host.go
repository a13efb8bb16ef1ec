// Package pluginhost starts a backend plugin executable the way Grafana does: go-plugin's client with the
// SDK's handshake and gRPC plugin set, over which it sends QueryData, CheckHealth and CallResource.
package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// Plugin is a running plugin process and the gRPC clients Grafana would use on it.
type Plugin struct {
	client      *plugin.Client
	Data        grpcplugin.DataClient
	Diagnostics grpcplugin.DiagnosticsClient
	Resource    grpcplugin.ResourceClient
	Health      plugin.ClientProtocol
}

// Options say how the process is started; Stderr receives the plugin's hclog lines as go-plugin relays them.
type Options struct {
	Executable string
	Stderr     io.Writer
}

// Start launches the executable with grafana_plugin_type=datasource and dispenses the data, diagnostics
// and resource plugins, as Grafana's plugin manager does.
func Start(opts Options) (*Plugin, error) {
	if _, err := os.Stat(opts.Executable); err != nil {
		return nil, fmt.Errorf("plugin executable: %w", err)
	}
	logOut := opts.Stderr
	if logOut == nil {
		logOut = io.Discard
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugin-host", Output: logOut, Level: hclog.Debug, JSONFormat: true})
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]plugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
			},
		},
		Cmd:              exec.Command(opts.Executable),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		Managed:          false,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("plugin handshake: %w", err)
	}
	p := &Plugin{client: client, Health: rpc}
	for name, target := range map[string]any{"data": &p.Data, "diagnostics": &p.Diagnostics, "resource": &p.Resource} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		switch t := target.(type) {
		case *grpcplugin.DataClient:
			*t = raw.(grpcplugin.DataClient)
		case *grpcplugin.DiagnosticsClient:
			*t = raw.(grpcplugin.DiagnosticsClient)
		case *grpcplugin.ResourceClient:
			*t = raw.(grpcplugin.ResourceClient)
		}
	}
	return p, nil
}

// Pid is the plugin process id, for reading its memory from /proc.
func (p *Plugin) Pid() int { return p.client.ReattachConfig().Pid }

// Exited reports whether the plugin process has exited.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// Kill stops the plugin the way Grafana does (Shutdown RPC, then a kill after a grace period).
func (p *Plugin) Kill() { p.client.Kill() }

// Settings is the datasource instance as Grafana stores it: jsonData plus decrypted secrets.
type Settings struct {
	UID      string            `json:"uid"`
	Name     string            `json:"name"`
	URL      string            `json:"url,omitempty"`
	JSONData json.RawMessage   `json:"jsonData"`
	Secure   map[string]string `json:"secureJsonData,omitempty"`
}

// PluginContext builds the context Grafana sends with every request for this datasource.
func (s Settings) PluginContext() *pluginv2.PluginContext {
	uid := s.UID
	if uid == "" {
		uid = "wiretrace"
	}
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: "wiretrace-datasource",
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: uid, Name: s.Name, Url: s.URL, JsonData: s.JSONData,
			DecryptedSecureJsonData: s.Secure, LastUpdatedMS: 1,
		},
	}
}

// Query is one DataQuery: the JSON the frontend saved plus the panel's time range and sizing.
type Query struct {
	RefID         string
	QueryType     string
	JSON          []byte
	FromMS, ToMS  int64
	MaxDataPoints int64
	IntervalMS    int64
}

// QueryData sends the queries in one request and decodes the answer with the SDK's own converter,
// which reads every frame with data.UnmarshalArrowFrames.
func (p *Plugin) QueryData(ctx context.Context, s Settings, queries []Query) (*pluginv2.QueryDataResponse, *backend.QueryDataResponse, error) {
	req := &pluginv2.QueryDataRequest{PluginContext: s.PluginContext()}
	for _, q := range queries {
		req.Queries = append(req.Queries, &pluginv2.DataQuery{
			RefId: q.RefID, QueryType: q.QueryType, Json: q.JSON,
			MaxDataPoints: q.MaxDataPoints, IntervalMS: q.IntervalMS,
			TimeRange: &pluginv2.TimeRange{FromEpochMS: q.FromMS, ToEpochMS: q.ToMS},
		})
	}
	raw, err := p.Data.QueryData(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	decoded, err := backend.FromProto().QueryDataResponse(raw)
	return raw, decoded, err
}

// CheckHealth calls Diagnostics/CheckHealth.
func (p *Plugin) CheckHealth(ctx context.Context, s Settings) (*pluginv2.CheckHealthResponse, error) {
	return p.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: s.PluginContext()})
}

// CollectMetrics calls Diagnostics/CollectMetrics and returns the Prometheus text.
func (p *Plugin) CollectMetrics(ctx context.Context, s Settings) (string, error) {
	res, err := p.Diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{PluginContext: s.PluginContext()})
	if err != nil {
		return "", err
	}
	return string(res.GetMetrics().GetPrometheus()), nil
}

// CallResource sends one GET and collects the streamed response.
func (p *Plugin) CallResource(ctx context.Context, s Settings, path string) (int, []byte, error) {
	stream, err := p.Resource.CallResource(ctx, &pluginv2.CallResourceRequest{
		PluginContext: s.PluginContext(), Path: path, Method: "GET", Url: "/" + path,
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
