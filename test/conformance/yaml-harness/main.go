// Command yaml-harness reads manifests the way kubectl does: the stream is cut into documents at lines
// that start with "---" (apimachinery's YAMLReader), each document goes through sigs.k8s.io/yaml
// (go-yaml v2, then JSON). Test code only.
//
// stdin:  {"cases":[{"id":"…","text":"…"}]}
// stdout: [{"id":"…","documents":["<json>",…],"error":"…","errorLine":N}]
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"sigs.k8s.io/yaml"
)

type harnessCase struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type harnessResult struct {
	ID        string   `json:"id"`
	Documents []string `json:"documents"`
	Error     string   `json:"error,omitempty"`
	ErrorLine int      `json:"errorLine,omitempty"`
}

type chunk struct {
	text      string
	firstLine int
}

// splitDocuments cuts at every line beginning with "---"; what follows the marker on its line may only be
// blanks or a comment.
func splitDocuments(text string) ([]chunk, error, int) {
	var chunks []chunk
	var current strings.Builder
	start := 1
	lines := strings.SplitAfter(text, "\n")
	for index, line := range lines {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "---") {
			rest := strings.TrimSpace(line[3:])
			if rest != "" && rest[0] != '#' {
				return chunks, fmt.Errorf("invalid Yaml document separator: %s", rest), index + 1
			}
			if current.Len() > 0 {
				chunks = append(chunks, chunk{current.String(), start})
			}
			current.Reset()
			start = index + 2
			continue
		}
		current.WriteString(line)
	}
	if current.Len() > 0 {
		chunks = append(chunks, chunk{current.String(), start})
	}
	return chunks, nil, 0
}

var lineInError = regexp.MustCompile(`^yaml: line (\d+): `)

func run(c harnessCase) (result harnessResult) {
	result.ID = c.ID
	result.Documents = []string{}
	defer func() {
		if r := recover(); r != nil {
			result.Error = fmt.Sprintf("panic: %v", r)
		}
	}()
	// A stream whose first non-space character is "{" is read as JSON values (YAMLOrJSONDecoder).
	if trimmed := strings.TrimLeftFunc(c.Text, unicode.IsSpace); strings.HasPrefix(trimmed, "{") {
		decoder := json.NewDecoder(strings.NewReader(c.Text))
		for {
			var raw json.RawMessage
			if err := decoder.Decode(&raw); err == io.EOF {
				return
			} else if err != nil {
				result.Error = "json: " + err.Error()
				return
			}
			// kubectl then decodes each object; a value JSON numbers cannot hold fails there.
			var value interface{}
			if err := json.Unmarshal(raw, &value); err != nil {
				result.Error = "json: " + err.Error()
				return
			}
			compact := new(bytes.Buffer)
			if err := json.Compact(compact, raw); err != nil {
				result.Error = "json: " + err.Error()
				return
			}
			result.Documents = append(result.Documents, compact.String())
		}
	}
	chunks, splitErr, splitLine := splitDocuments(c.Text)
	for _, ch := range chunks {
		out, err := yaml.YAMLToJSON([]byte(ch.text))
		if err != nil {
			result.Error = err.Error()
			if m := lineInError.FindStringSubmatch(err.Error()); m != nil {
				n, _ := strconv.Atoi(m[1])
				result.ErrorLine = n + ch.firstLine - 1
			}
			return
		}
		out = bytes.TrimSpace(out)
		if len(out) == 0 || string(out) == "null" {
			continue
		}
		result.Documents = append(result.Documents, string(out))
	}
	if splitErr != nil {
		result.Error = splitErr.Error()
		result.ErrorLine = splitLine
	}
	return
}

func main() {
	var input struct {
		Cases []harnessCase `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := make([]harnessResult, 0, len(input.Cases))
	for _, c := range input.Cases {
		results = append(results, run(c))
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
