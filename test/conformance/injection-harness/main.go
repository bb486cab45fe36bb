// Command injection-harness executes injection templates the way istiod does: Go text/template with sprig
// and istiod's own functions, against a data context of the same Go shape. Test code only, never shipped.
//
// stdin:  {"cases":[{"id":"…","template":"…","context":"pod"|"gateway","data":{…}}]}
// stdout: [{"id":"…","stage":"ok"|"parse"|"execute"|"yaml","error":"…","text":"…","documents":[…]}]
//
// "documents" is the rendered text read as YAML and turned into JSON the way sigs.k8s.io/yaml does
// (YAML 1.1 scalars); the pod context yields one document, the gateway context one per `---` section.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"text/template"

	yaml "gopkg.in/yaml.v2"
)

type harnessCase struct {
	ID       string          `json:"id"`
	Template string          `json:"template"`
	Context  string          `json:"context"`
	Data     json.RawMessage `json:"data"`
}

type harnessResult struct {
	ID        string        `json:"id"`
	Stage     string        `json:"stage"`
	Error     string        `json:"error,omitempty"`
	Text      string        `json:"text,omitempty"`
	Documents []interface{} `json:"documents,omitempty"`
}

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

func main() {
	var input struct {
		Cases []harnessCase `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintln(os.Stderr, "reading cases:", err)
		os.Exit(2)
	}
	results := make([]harnessResult, 0, len(input.Cases))
	for _, c := range input.Cases {
		results = append(results, run(c))
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", " ")
	if err := out.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "writing results:", err)
		os.Exit(2)
	}
}

func run(c harnessCase) harnessResult {
	result := harnessResult{ID: c.ID}
	tmpl, err := template.New("inject").Funcs(injectionFuncMap()).Parse(c.Template)
	if err != nil {
		result.Stage, result.Error = "parse", err.Error()
		return result
	}
	var data interface{}
	switch c.Context {
	case "pod":
		var d SidecarTemplateData
		err = json.Unmarshal(c.Data, &d)
		data = &d
	case "gateway":
		var d GatewayTemplateData
		err = json.Unmarshal(c.Data, &d)
		data = &d
	case "parse-only":
		result.Stage = "ok"
		return result
	default:
		err = fmt.Errorf("unknown context %q", c.Context)
	}
	if err != nil {
		result.Stage, result.Error = "data", err.Error()
		return result
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		result.Stage, result.Error = "execute", err.Error()
		return result
	}
	result.Text = buf.String()
	sections := []string{result.Text}
	if c.Context == "gateway" {
		sections = documentSeparator.Split(result.Text, -1)
	}
	for _, section := range sections {
		var generic interface{}
		if err := yaml.Unmarshal([]byte(section), &generic); err != nil {
			result.Stage, result.Error = "yaml", err.Error()
			return result
		}
		if generic == nil && c.Context == "gateway" {
			continue
		}
		converted, err := jsonCompatible(generic)
		if err != nil {
			result.Stage, result.Error = "yaml", err.Error()
			return result
		}
		result.Documents = append(result.Documents, converted)
	}
	result.Stage = "ok"
	return result
}

// jsonCompatible turns yaml.v2's map[interface{}]interface{} into JSON-encodable maps.
func jsonCompatible(v interface{}) (interface{}, error) {
	switch value := v.(type) {
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(value))
		for k, item := range value {
			converted, err := jsonCompatible(item)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = converted
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(value))
		for i, item := range value {
			converted, err := jsonCompatible(item)
			if err != nil {
				return nil, err
			}
			out[i] = converted
		}
		return out, nil
	}
	return v, nil
}
