// Package pluginfront is the HTTP side of Grafana a plugin's frontend talks to (/api/ds/query, datasource
// resources and health, the plugin's static files), answered by the real backend executable through pluginhost.
package pluginfront

import (
	"encoding/json"
	"fmt"
	"os"
)

// Datasource is one instance as Grafana stores it; only instances of BackendType are sent to the executable.
type Datasource struct {
	UID            string            `json:"uid"`
	Name           string            `json:"name"`
	Type           string            `json:"type"`
	URL            string            `json:"url,omitempty"`
	IsDefault      bool              `json:"isDefault,omitempty"`
	JSONData       json.RawMessage   `json:"jsonData,omitempty"`
	SecureJSONData map[string]string `json:"secureJsonData,omitempty"`
}

// Config is what the host serves: its datasources and the page's window.grafanaBootData.
type Config struct {
	BackendType string          `json:"backendType"`
	Datasources []Datasource    `json:"datasources"`
	Boot        json.RawMessage `json:"boot"`
	// PluginSettings answer /api/plugins/<id>/settings (the plugin meta Grafana's pages load).
	PluginSettings map[string]json.RawMessage `json:"pluginSettings"`
	// Dashboards answer /api/dashboards/uid/<uid>, as provisioned.
	Dashboards map[string]json.RawMessage `json:"dashboards"`
}

// LoadConfig reads the host configuration file written by the launcher.
func LoadConfig(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host config: %w", err)
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("host config %s: %w", path, err)
	}
	if c.BackendType == "" {
		return nil, fmt.Errorf("host config %s: backendType is empty", path)
	}
	for i := range c.Datasources {
		if len(c.Datasources[i].JSONData) == 0 {
			c.Datasources[i].JSONData = json.RawMessage("{}")
		}
	}
	return &c, nil
}

// public is the datasource as Grafana's API shows it: secrets replaced by the names of the fields that are set.
func (d Datasource) public(id int) map[string]any {
	fields := map[string]bool{}
	for k, v := range d.SecureJSONData {
		if v != "" {
			fields[k] = true
		}
	}
	var jsonData any = map[string]any{}
	_ = json.Unmarshal(d.JSONData, &jsonData)
	return map[string]any{
		"id": id, "uid": d.UID, "orgId": 1, "name": d.Name, "type": d.Type, "typeName": d.Name,
		"access": "proxy", "url": d.URL, "user": "", "database": "", "basicAuth": false, "basicAuthUser": "",
		"withCredentials": false, "isDefault": d.IsDefault, "jsonData": jsonData, "secureJsonFields": fields,
		"version": 1, "readOnly": false,
	}
}
