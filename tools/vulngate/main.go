// Command vulngate reads govulncheck's JSON stream (-format json) on
// standard input and fails when the code calls a vulnerable symbol that is
// not on the allow list: the vulnerabilities that govulncheck's text mode
// calls "Your code is affected by". Findings in modules or packages the
// code does not call are listed as information.
//
// The allow list (-allow, one "GO-YYYY-NNNN reason" per line, # comments)
// holds assessed findings, each with its reason; see docs/SECURITY.md.
//
//	govulncheck -format json ./... | go run ./tools/vulngate -allow .ci/vuln-allow.txt
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
}

type message struct {
	Config *struct {
		ScannerVersion string `json:"scanner_version"`
		DB             string `json:"db"`
	} `json:"config"`
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

func main() {
	allowPath := flag.String("allow", "", "allow list: one `GO-ID reason` per line")
	flag.Parse()
	allow, err := readAllow(*allowPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	called, other, summaries, err := scan(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	fail := false
	for _, id := range slices.Sorted(maps.Keys(called)) {
		f := called[id]
		if reason, ok := allow[id]; ok {
			fmt.Printf("allowed   %s %s (%s): %s\n", id, f, summaries[id], reason)
			continue
		}
		fail = true
		fmt.Printf("CALLED    %s %s (%s)\n", id, f, summaries[id])
	}
	fmt.Printf("%d vulnerabilities in required modules or imported packages are not called by the code\n", len(other))
	if fail {
		fmt.Println("vulngate: the code calls vulnerable symbols; upgrade, or assess and add them to the allow list")
		os.Exit(1)
	}
	fmt.Println("vulngate: no unassessed vulnerability is called")
}

// scan returns the called findings (id → "module@version, fixed in …") and
// the ids found only at module or package level.
func scan(r io.Reader) (called, other, summaries map[string]string, err error) {
	called, other, summaries = map[string]string{}, map[string]string{}, map[string]string{}
	configured := false
	dec := json.NewDecoder(r)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, nil, fmt.Errorf("govulncheck output: %w", err)
		}
		if m.Config != nil {
			configured = true
			fmt.Printf("govulncheck %s, database %s\n", m.Config.ScannerVersion, m.Config.DB)
		}
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		f := m.Finding
		if f == nil || len(f.Trace) == 0 {
			continue
		}
		top := f.Trace[0]
		desc := top.Module + "@" + top.Version + ", fixed in " + f.FixedVersion
		if top.Function != "" {
			called[f.OSV] = desc
			delete(other, f.OSV)
		} else if _, ok := called[f.OSV]; !ok {
			other[f.OSV] = desc
		}
	}
	if !configured {
		// No output is not "no findings": govulncheck failed before scanning.
		return nil, nil, nil, errors.New("no govulncheck output (did the scan run?)")
	}
	return called, other, summaries, nil
}

func readAllow(path string) (map[string]string, error) {
	allow := map[string]string{}
	if path == "" {
		return allow, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(id, "GO-") || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: want `GO-ID reason`", path, n+1)
		}
		allow[id] = strings.TrimSpace(reason)
	}
	return allow, nil
}
