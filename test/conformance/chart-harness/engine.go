package main

// The parts of Helm's engine istioctl relies on, re-implemented from Helm's documented behaviour:
//   - values: the chart's values.yaml coalesced under the caller's values (caller wins, null deletes a default);
//   - one template set holding every template of the chart, named "<chart>/templates/<file>", parsed and executed
//     deepest path first, then in reverse lexical order (so templates/zzz_profile.yaml runs first and its edits to
//     .Values are seen by every other template);
//   - missingkey=zero, and "<no value>" removed from the output;
//   - partials (files starting with "_") are not output; NOTES.txt yields warnings (lines "WARNING: …").

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"sigs.k8s.io/yaml"
)

type chart struct {
	name      string
	metadata  map[string]interface{}
	defaults  map[string]interface{}
	templates map[string]string
	files     chartFiles
}

// chartFiles is .Files: every file of the chart outside templates/, by its path relative to the chart.
type chartFiles map[string][]byte

func (f chartFiles) Get(name string) string { return string(f[name]) }

func (f chartFiles) GetBytes(name string) []byte { return f[name] }

func loadChart(dir string, version string) (*chart, error) {
	meta := map[string]interface{}{}
	raw, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var chartYaml struct {
		Name        string `json:"name"`
		Version     string `json:"version"`
		AppVersion  string `json:"appVersion"`
		Description string `json:"description"`
		APIVersion  string `json:"apiVersion"`
	}
	if err := yaml.Unmarshal(raw, &chartYaml); err != nil {
		return nil, fmt.Errorf("%s/Chart.yaml: %v", dir, err)
	}
	if version != "" {
		chartYaml.Version, chartYaml.AppVersion = version, version
	}
	meta["Name"], meta["Version"], meta["AppVersion"] = chartYaml.Name, chartYaml.Version, chartYaml.AppVersion
	meta["Description"], meta["APIVersion"] = chartYaml.Description, chartYaml.APIVersion

	c := &chart{name: chartYaml.Name, metadata: meta, templates: map[string]string{}, files: chartFiles{}}
	if raw, err := os.ReadFile(filepath.Join(dir, "values.yaml")); err == nil {
		if err := yaml.Unmarshal(raw, &c.defaults); err != nil {
			return nil, fmt.Errorf("%s/values.yaml: %v", dir, err)
		}
	}
	if c.defaults == nil {
		c.defaults = map[string]interface{}{}
	}
	err = filepath.Walk(dir, func(file string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, file)
		rel = filepath.ToSlash(rel)
		content, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates/") {
			c.templates[c.name+"/"+rel] = string(content)
		} else if rel != "Chart.yaml" && rel != "values.yaml" {
			c.files[rel] = content
		}
		return nil
	})
	return c, err
}

// coalesce lays the chart defaults under the caller's values, as Helm's CoalesceValues does.
func coalesce(user map[string]interface{}, defaults map[string]interface{}) map[string]interface{} {
	out := deepCopyMap(user)
	coalesceInto(out, deepCopyMap(defaults))
	return out
}

func coalesceInto(dst, src map[string]interface{}) {
	for key, srcValue := range src {
		dstValue, present := dst[key]
		if !present {
			dst[key] = srcValue
			continue
		}
		if dstValue == nil {
			delete(dst, key)
			continue
		}
		dstMap, dstIsMap := dstValue.(map[string]interface{})
		srcMap, srcIsMap := srcValue.(map[string]interface{})
		if dstIsMap && srcIsMap {
			coalesceInto(dstMap, srcMap)
		}
	}
}

func deepCopyMap(m map[string]interface{}) map[string]interface{} {
	if m == nil {
		return map[string]interface{}{}
	}
	raw, _ := json.Marshal(m)
	out := map[string]interface{}{}
	_ = json.Unmarshal(raw, &out)
	return out
}

// helmOrder is Helm's template execution order: more path segments first, then reverse lexical.
func helmOrder(names []string) {
	sort.SliceStable(names, func(i, j int) bool {
		a, b := names[i], names[j]
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca != cb {
			return ca > cb
		}
		return a > b
	})
}

var (
	documentSeparator = regexp.MustCompile(`(?m)^---.*$`)
	topLevelKind      = regexp.MustCompile(`(?m)^kind:\s*"?([A-Za-z]+)`)
)

func omitted(section string, kinds []string) bool {
	match := topLevelKind.FindStringSubmatch(section)
	if match == nil {
		return false
	}
	for _, kind := range kinds {
		if match[1] == kind {
			return true
		}
	}
	return false
}

func (c *chart) render(namespace string, userValues map[string]interface{}, omitKinds []string) ([]json.RawMessage, []string, error) {
	top := map[string]interface{}{
		"Values":  coalesce(userValues, c.defaults),
		"Chart":   c.metadata,
		"Files":   c.files,
		"Release": map[string]interface{}{"Name": "istio", "Namespace": namespace, "IsUpgrade": false, "IsInstall": false, "Revision": 0, "Service": "Helm"},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.30.0", "GitVersion": "v1.30.0", "Major": "1", "Minor": "30"},
			"HelmVersion": map[string]interface{}{"Version": "v4.0.0"},
		},
	}
	root := template.New("gotpl").Option("missingkey=zero")
	root.Funcs(helmFuncs(root))
	names := make([]string, 0, len(c.templates))
	for name := range c.templates {
		names = append(names, name)
	}
	helmOrder(names)
	for _, name := range names {
		if _, err := root.New(name).Parse(c.templates[name]); err != nil {
			return nil, nil, fmt.Errorf("parse %s: %v", name, err)
		}
	}
	rendered := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		top["Template"] = map[string]interface{}{"Name": name, "BasePath": c.name + "/templates"}
		var buf strings.Builder
		if err := root.ExecuteTemplate(&buf, name, top); err != nil {
			return nil, nil, err
		}
		rendered[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}

	var warnings []string
	outputNames := make([]string, 0, len(rendered))
	for name, text := range rendered {
		if strings.HasSuffix(name, ".txt") {
			for _, line := range strings.Split(text, "\n") {
				if strings.HasPrefix(line, "WARNING: ") {
					warnings = append(warnings, strings.TrimPrefix(line, "WARNING: "))
				}
			}
			continue
		}
		outputNames = append(outputNames, name)
	}
	sort.Strings(outputNames)
	documents := []json.RawMessage{}
	for _, name := range outputNames {
		for _, section := range documentSeparator.Split(rendered[name], -1) {
			if strings.TrimSpace(section) == "" || omitted(section, omitKinds) {
				continue
			}
			converted, err := yaml.YAMLToJSON([]byte(section))
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %v\n%s", name, err, section)
			}
			if string(converted) == "null" {
				continue
			}
			documents = append(documents, converted)
		}
	}
	return documents, warnings, nil
}
