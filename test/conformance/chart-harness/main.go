// Command chart-harness renders Helm charts the way istioctl's embedded Helm engine does, with nothing but Go's
// text/template, sprig and the handful of functions Helm adds. Test code only, never shipped.
//
// stdin:  {"cases":[{"id":"…","chart":"<chart directory>","version":"1.30.3","namespace":"…","values":{…}}]}
// stdout: [{"id":"…","error":"…","documents":[…],"warnings":["…"]}]
//
// Each document is one rendered manifest turned into JSON by sigs.k8s.io/yaml, as istioctl parses them.
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

type renderCase struct {
	ID        string `json:"id"`
	Chart     string `json:"chart"`
	Namespace string `json:"namespace"`
	// Version replaces Chart.yaml's version and appVersion, as Istio's release build stamps them.
	Version string `json:"version"`
	// OmitKinds leaves out documents of these kinds (read from the text, before conversion).
	OmitKinds []string               `json:"omitKinds"`
	Values    map[string]interface{} `json:"values"`
}

type renderResult struct {
	ID        string            `json:"id"`
	Error     string            `json:"error,omitempty"`
	Documents []json.RawMessage `json:"documents"`
	Warnings  []string          `json:"warnings,omitempty"`
}

func main() {
	var input struct {
		Cases []renderCase `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintln(os.Stderr, "reading cases:", err)
		os.Exit(2)
	}
	charts := map[string]*chart{}
	results := make([]renderResult, 0, len(input.Cases))
	for _, c := range input.Cases {
		result := renderResult{ID: c.ID, Documents: []json.RawMessage{}}
		loaded, ok := charts[c.Chart]
		if !ok {
			var err error
			loaded, err = loadChart(c.Chart, c.Version)
			if err != nil {
				fmt.Fprintln(os.Stderr, "loading chart:", err)
				os.Exit(2)
			}
			charts[c.Chart] = loaded
		}
		documents, warnings, err := loaded.render(c.Namespace, c.Values, c.OmitKinds)
		if err != nil {
			result.Error = err.Error()
		} else {
			result.Documents, result.Warnings = documents, warnings
		}
		results = append(results, result)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "writing results:", err)
		os.Exit(2)
	}
}
