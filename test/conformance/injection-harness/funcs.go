package main

// The functions istiod registers for injection templates (docs/design/injection.md §2.3), re-implemented from their
// descriptions, on top of sprig's text function map (§2.4).

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"time"

	sprig "github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

func injectionFuncMap() template.FuncMap {
	funcs := sprig.TxtFuncMap()
	istio := template.FuncMap{
		"annotation":             annotation,
		"isset":                  isset,
		"valueOrDefault":         valueOrDefault,
		"excludeInboundPort":     excludeInboundPort,
		"includeInboundPorts":    includeInboundPorts,
		"applicationPorts":       applicationPorts,
		"kubevirtInterfaces":     func(s string) string { return s },
		"excludeInterfaces":      func(s string) string { return s },
		"toJSON":                 toJSON,
		"fromJSON":               fromJSON,
		"structToJSON":           structToJSON,
		"protoToJSON":            protoToJSON,
		"toYaml":                 toYaml,
		"indent":                 indent,
		"directory":              directory,
		"contains":               func(needle, haystack string) bool { return strings.Contains(haystack, needle) },
		"toLower":                strings.ToLower,
		"env":                    env,
		"omit":                   omit,
		"strdict":                strdict,
		"mergeMaps":              mergeMaps,
		"toJsonMap":              toJSONMap,
		"omitNil":                omitNil,
		"formatDuration":         formatDuration,
		"appendMultusNetwork":    appendMultusNetwork,
		"otelResourceAttributes": otelResourceAttributes,
	}
	for name, fn := range istio {
		funcs[name] = fn
	}
	return funcs
}

func annotation(meta ObjectMeta, name string, defaultValue interface{}) string {
	if value, ok := meta.Annotations[name]; ok {
		return value
	}
	return fmt.Sprint(defaultValue)
}

func isset(m map[string]string, key string) bool {
	_, ok := m[key]
	return ok
}

func valueOrDefault(value interface{}, defaultValue interface{}) interface{} {
	if value == nil || value == "" {
		return defaultValue
	}
	return value
}

func excludeInboundPort(port interface{}, excludedInboundPorts string) string {
	portText := strings.TrimSpace(fmt.Sprint(port))
	if port == nil || portText == "" || portText == "0" {
		return excludedInboundPorts
	}
	var kept []string
	for _, entry := range strings.Split(excludedInboundPorts, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if entry == portText {
			return excludedInboundPorts
		}
		kept = append(kept, entry)
	}
	return strings.Join(append(kept, portText), ",")
}

func containerPorts(containers []Container, skipProxy bool) string {
	var ports []string
	for _, c := range containers {
		if skipProxy && c.Name == "istio-proxy" {
			continue
		}
		for _, p := range c.Ports {
			if p.Protocol == "UDP" || p.Protocol == "SCTP" {
				continue
			}
			ports = append(ports, strconv.Itoa(int(p.ContainerPort)))
		}
	}
	return strings.Join(ports, ",")
}

func includeInboundPorts(containers []Container) string { return containerPorts(containers, false) }
func applicationPorts(containers []Container) string    { return containerPorts(containers, true) }

func toJSON(m map[string]string) string {
	if m == nil {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func fromJSON(j string) interface{} {
	var out interface{}
	if err := json.Unmarshal([]byte(j), &out); err != nil {
		return "{}"
	}
	return out
}

func structToJSON(v interface{}) string {
	if v == nil {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// protoToJSON renders a ProxyConfig without the fields equal to istiod's built-in defaults, as istiod does.
func protoToJSON(v interface{}) string {
	pc, ok := v.(*ProxyConfig)
	if !ok {
		return structToJSON(v)
	}
	if pc == nil {
		return "{}"
	}
	c := *pc
	c.ConfigPath, c.BinaryPath, c.ServiceCluster = "", "", ""
	if c.DrainDuration.GetSeconds() == 45 {
		c.DrainDuration = nil
	}
	if c.TerminationDrainDuration.GetSeconds() == 5 {
		c.TerminationDrainDuration = nil
	}
	if c.DiscoveryAddress == "istiod.istio-system.svc:15012" {
		c.DiscoveryAddress = ""
	}
	if c.ProxyAdminPort == 15000 {
		c.ProxyAdminPort = 0
	}
	if c.StatNameLength == 189 {
		c.StatNameLength = 0
	}
	if c.StatusPort == 15020 {
		c.StatusPort = 0
	}
	c.Concurrency = nil
	c.Tracing = nil
	if len(c.ProxyMetadata) == 0 {
		c.ProxyMetadata = nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// toYaml goes through JSON first, as sigs.k8s.io/yaml does, so keys come out sorted and with JSON names.
func toYaml(value interface{}) string {
	j, err := json.Marshal(value)
	if err != nil {
		return ""
	}
	var generic interface{}
	if err := yaml.Unmarshal(j, &generic); err != nil {
		return ""
	}
	out, err := yaml.Marshal(generic)
	if err != nil {
		return ""
	}
	return string(out)
}

func indent(spaces int, source string) string {
	pad := strings.Repeat(" ", spaces)
	lines := strings.Split(source, "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

func directory(filepath string) string {
	dir, _ := path.Split(filepath)
	return dir
}

func env(key string, def string) string {
	if value, ok := os.LookupEnv(key); ok {
		return value
	}
	return def
}

func omit(dict map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	for k, v := range dict {
		if !drop[k] {
			out[k] = v
		}
	}
	return out
}

func strdict(v ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(v); i += 2 {
		if i+1 < len(v) {
			out[v[i]] = v[i+1]
		} else {
			out[v[i]] = ""
		}
	}
	return out
}

func mergeMaps(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func toJSONMap(maps ...map[string]string) string {
	b, err := json.Marshal(mergeMaps(maps...))
	if err != nil {
		return "{}"
	}
	return string(b)
}

func omitNil(data interface{}) interface{} {
	if data == nil {
		return nil
	}
	switch v := data.(type) {
	case map[string]interface{}:
		out := map[string]interface{}{}
		for k, item := range v {
			if cleaned := omitNil(item); cleaned != nil {
				out[k] = cleaned
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []interface{}:
		var out []interface{}
		for _, item := range v {
			if cleaned := omitNil(item); cleaned != nil {
				out = append(out, cleaned)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	if rv := reflect.ValueOf(data); (rv.Kind() == reflect.Map || rv.Kind() == reflect.Slice || rv.Kind() == reflect.Pointer) && rv.IsNil() {
		return nil
	}
	return data
}

func formatDuration(d *Duration) string {
	return (time.Duration(d.GetSeconds()) * time.Second).String()
}

func appendMultusNetwork(existingValue, istioCniNetwork string) string {
	if existingValue == "" {
		return istioCniNetwork
	}
	trimmed := strings.TrimSpace(existingValue)
	if strings.HasPrefix(trimmed, "[") {
		var entries []map[string]interface{}
		if err := json.Unmarshal([]byte(trimmed), &entries); err == nil {
			parts := strings.SplitN(istioCniNetwork, "/", 2)
			for _, e := range entries {
				if len(parts) == 2 && e["namespace"] == parts[0] && e["name"] == parts[1] {
					return existingValue
				}
			}
			entry := map[string]interface{}{"name": istioCniNetwork}
			if len(parts) == 2 {
				entry = map[string]interface{}{"namespace": parts[0], "name": parts[1]}
			}
			out, _ := json.Marshal(append(entries, entry))
			return string(out)
		}
	}
	for _, entry := range strings.Split(existingValue, ",") {
		if strings.TrimSpace(entry) == istioCniNetwork {
			return existingValue
		}
	}
	return existingValue + ", " + istioCniNetwork
}

// otelResourceAttributes is registered so templates that call it parse; mesh's templates do not call it and
// the harness's meshes have no OpenTelemetry provider with semantic-convention enrichment, so it is "".
func otelResourceAttributes(_ interface{}, _ map[string]string, _ map[string]string, _ string, _ interface{}) string {
	return ""
}
