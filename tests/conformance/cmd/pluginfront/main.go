// Command pluginfront serves the part of Grafana's HTTP API a plugin frontend uses, answered by the real backend
// executable started through the Go SDK host, plus the built plugin and the browser host page (tests/host/).
//
//	pluginfront -plugin dist/datasource/gpx_wiretrace_linux_amd64 -config host-config.json -dist dist -web build/host/web
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginfront"
)

func main() {
	executable := flag.String("plugin", "dist/datasource/gpx_wiretrace_linux_amd64", "backend plugin executable")
	configPath := flag.String("config", "", "host config JSON: backendType, datasources, boot")
	appID := flag.String("app", "wiretrace-correlation-app", "app plugin id, served at /public/plugins/<id>/")
	dist := flag.String("dist", "dist", "the built plugin")
	web := flag.String("web", "build/host/web", "the host page")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	pluginLog := flag.String("plugin-log", "", "file for the plugin's log lines (default: stderr)")
	flag.Parse()
	if err := run(*executable, *configPath, *appID, *dist, *web, *listen, *pluginLog); err != nil {
		fmt.Fprintln(os.Stderr, "pluginfront:", err)
		os.Exit(1)
	}
}

func run(executable, configPath, appID, dist, web, listen, pluginLog string) error {
	if configPath == "" {
		return fmt.Errorf("-config is required")
	}
	config, err := pluginfront.LoadConfig(configPath)
	if err != nil {
		return err
	}
	logOut := os.Stderr
	if pluginLog != "" {
		f, err := os.OpenFile(pluginLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		logOut = f
	}
	server, err := pluginfront.New(pluginfront.Options{
		Executable: executable, AppID: appID, DistDir: dist, WebDir: web, PluginLog: logOut,
	}, config)
	if err != nil {
		return err
	}
	defer server.Close()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	// The launcher reads the address from this first line.
	fmt.Printf("listening on http://%s\n", ln.Addr().String())
	httpServer := &http.Server{Handler: server.Handler(), ReadHeaderTimeout: 30 * time.Second}
	done := make(chan error, 1)
	go func() { done <- httpServer.Serve(ln) }()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	select {
	case err := <-done:
		return err
	case <-signals:
		return httpServer.Close()
	}
}
