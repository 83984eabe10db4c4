package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// unitFile is a systemd unit: section -> key -> values in order.
type unitFile map[string]map[string][]string

func (u unitFile) last(section, key string) (string, bool) {
	v := u[section][key]
	if len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// parseUnit reads a unit file: comments (# ;) dropped, continuation lines
// (trailing backslash) joined, repeated keys kept in order.
func parseUnit(t *testing.T, path string) unitFile {
	t.Helper()
	u := unitFile{}
	section := ""
	var cont strings.Builder
	for i, line := range strings.Split(readFile(t, path), "\n") {
		line = strings.TrimSpace(line)
		if cont.Len() == 0 && (line == "" || line[0] == '#' || line[0] == ';') {
			continue
		}
		if body, ok := strings.CutSuffix(line, `\`); ok {
			cont.WriteString(body + " ")
			continue
		}
		cont.WriteString(line)
		line = cont.String()
		cont.Reset()
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			if u[section] == nil {
				u[section] = map[string][]string{}
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			t.Errorf("%s:%d: %q is not Key=Value in a section", rel(path), i+1, line)
			continue
		}
		k = strings.TrimSpace(k)
		u[section][k] = append(u[section][k], strings.TrimSpace(v))
	}
	return u
}

var timeSpanPart = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*(us|ms|s|sec|second|seconds|m|min|minute|minutes|h|hr|hour|hours)?$`)

// parseTimeSpan reads a systemd time span ("15", "15s", "1min 30s").
func parseTimeSpan(s string) (time.Duration, error) {
	var total time.Duration
	parts := regexp.MustCompile(`(\d+(?:\.\d+)?\s*[a-z]*)`).FindAllString(s, -1)
	if len(parts) == 0 {
		return 0, fmt.Errorf("%q is not a time span", s)
	}
	for _, p := range parts {
		m := timeSpanPart.FindStringSubmatch(strings.TrimSpace(p))
		if m == nil {
			return 0, fmt.Errorf("%q is not a time span", s)
		}
		n, _ := strconv.ParseFloat(m[1], 64)
		unit := map[string]time.Duration{
			"us": time.Microsecond, "ms": time.Millisecond, "": time.Second, "s": time.Second, "sec": time.Second,
			"second": time.Second, "seconds": time.Second, "m": time.Minute, "min": time.Minute, "minute": time.Minute,
			"minutes": time.Minute, "h": time.Hour, "hr": time.Hour, "hour": time.Hour, "hours": time.Hour,
		}[m[2]]
		total += time.Duration(n * float64(unit))
	}
	return total, nil
}

const unitPath = "systemd/newsalert.service"

func TestSystemdUnit(t *testing.T) {
	where := rel(unitPath)
	u := parseUnit(t, unitPath)
	svc := u["Service"]
	if svc == nil {
		t.Fatalf("%s: no [Service] section", where)
	}

	exec, _ := u.last("Service", "ExecStart")
	args := shellWords(exec)
	if len(args) == 0 || !filepath.IsAbs(args[0]) || filepath.Base(args[0]) != "newsalert" {
		t.Errorf("%s: ExecStart=%s, want /usr/local/bin/newsalert run", where, exec)
	} else if len(args) > 1 && args[1] != "run" {
		t.Errorf("%s: ExecStart=%s runs %q, want the run subcommand", where, exec, args[1])
	}

	// The environment: Environment= lines, then the EnvironmentFile (which
	// systemd lets override them).
	unitEnv := map[string]string{}
	var names []string
	for _, line := range svc["Environment"] {
		for _, w := range shellWords(line) {
			k, v, ok := strings.Cut(w, "=")
			if !ok {
				t.Errorf("%s: Environment=%s: %q is not NAME=value", where, line, w)
				continue
			}
			unitEnv[k] = v
			names = append(names, k)
		}
	}
	checkEnvNames(t, where+": Environment=", names)
	envFile, _ := u.last("Service", "EnvironmentFile")
	envFile = strings.TrimPrefix(envFile, "-")
	if envFile == "" {
		t.Fatalf("%s: no EnvironmentFile= for the tokens", where)
	}
	example := filepath.Join("systemd", filepath.Base(envFile)+".example")
	f := checkEnvExample(t, example, unitEnv)
	all := map[string]string{}
	for k, v := range unitEnv {
		all[k] = v
	}
	for k, v := range f.Set {
		all[k] = v
	}
	checkEnvValues(t, where+" with "+rel(example), all)
	checkConsoleOff(t, where+": Environment=", all)

	state, _ := u.last("Service", "StateDirectory")
	if state == "" || all["NEWSALERT_DATA_DIR"] != "/var/lib/"+state {
		t.Errorf("%s: NEWSALERT_DATA_DIR=%q, StateDirectory=%q: the data directory must be /var/lib/<StateDirectory>, the only place a DynamicUser can write", where, all["NEWSALERT_DATA_DIR"], state)
	}

	stop, _ := u.last("Service", "TimeoutStopSec")
	if d, err := parseTimeSpan(stop); err != nil || d < 15*time.Second {
		t.Errorf("%s: TimeoutStopSec=%q, want at least 15s: the final snapshot may take 10s", where, stop)
	}

	want := []struct{ key, value, why string }{
		{"DynamicUser", "yes", "no fixed account to manage or to leak"},
		{"ProtectSystem", "strict", "everything read-only but the state directory"},
		{"Restart", "on-failure", "come back after a crash"},
		{"NoNewPrivileges", "yes", ""},
		{"PrivateTmp", "yes", ""},
		{"ProtectHome", "yes", ""},
		{"CapabilityBoundingSet", "", "no capabilities at all"},
		{"LockPersonality", "yes", ""},
		{"MemoryDenyWriteExecute", "yes", ""},
		{"ProtectKernelTunables", "yes", ""},
		{"ProtectKernelModules", "yes", ""},
		{"ProtectKernelLogs", "yes", ""},
		{"ProtectControlGroups", "yes", ""},
		{"RestrictSUIDSGID", "yes", ""},
		{"RestrictNamespaces", "yes", ""},
	}
	for _, w := range want {
		got, ok := u.last("Service", w.key)
		if !ok || got != w.value {
			t.Errorf("%s: %s=%q, want %s=%s %s", where, w.key, got, w.key, w.value, w.why)
		}
	}
	families := strings.Fields(strings.Join(svc["RestrictAddressFamilies"], " "))
	for _, need := range []string{"AF_INET", "AF_INET6", "AF_UNIX"} {
		if !slices.Contains(families, need) {
			t.Errorf("%s: RestrictAddressFamilies=%v lacks %s: feeds, chat APIs and Redis need it", where, families, need)
		}
	}
	if filters := svc["SystemCallFilter"]; len(filters) == 0 || filters[0] != "@system-service" {
		t.Errorf("%s: SystemCallFilter=%v, want @system-service first", where, filters)
	}
}

// TestSystemdAnalyzeVerify runs systemd-analyze verify on the unit, with
// ExecStart pointed at an executable that exists here (this test binary),
// and fails on any complaint about the unit: verify exits 0 on unknown
// keys and bad values, it only prints them.
func TestSystemdAnalyzeVerify(t *testing.T) {
	bin, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (apt-get install systemd): unit not verified by systemd itself; TestSystemdUnit still checks it")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := readFile(t, unitPath)
	if !strings.Contains(unit, "ExecStart=/usr/local/bin/newsalert ") {
		t.Fatalf("%s: ExecStart is not /usr/local/bin/newsalert", rel(unitPath))
	}
	unit = strings.ReplaceAll(unit, "ExecStart=/usr/local/bin/newsalert ", "ExecStart="+self+" ")
	tmp := filepath.Join(t.TempDir(), "newsalert.service")
	if err := os.WriteFile(tmp, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "verify", "--man=no", tmp)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	var complaints []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, tmp) || strings.Contains(line, "newsalert.service") {
			complaints = append(complaints, strings.ReplaceAll(line, tmp, rel(unitPath)))
		} else if strings.TrimSpace(line) != "" {
			t.Logf("systemd-analyze (not about the unit): %s", line)
		}
	}
	if runErr != nil || len(complaints) > 0 {
		status := "exit status 0"
		if runErr != nil {
			status = runErr.Error()
		}
		t.Errorf("systemd-analyze verify %s (%s) complains:\n%s", rel(unitPath), status, strings.Join(complaints, "\n"))
	}
}
