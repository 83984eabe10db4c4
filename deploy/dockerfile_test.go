package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Line  int
	Cmd   string      // upper case: FROM, RUN, COPY...
	Flags [][2]string // leading --name=value options, in order
	Rest  string      // the arguments after the options
	Stage int         // index of the FROM it follows; -1 before the first
}

func (in instruction) flag(name string) (string, bool) {
	for _, f := range in.Flags {
		if f[0] == name {
			return f[1], true
		}
	}
	return "", false
}

// execForm decodes a JSON-array argument (["a", "b"]); ok is false for the
// shell form.
func (in instruction) execForm() ([]string, bool) {
	rest := strings.TrimSpace(in.Rest)
	if !strings.HasPrefix(rest, "[") {
		return nil, false
	}
	var args []string
	if err := json.Unmarshal([]byte(rest), &args); err != nil {
		return nil, false
	}
	return args, true
}

// parseDockerfile reads the instructions of a Dockerfile with the default
// escape character: comments dropped, continuations joined.
func parseDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	var out []instruction
	var cur strings.Builder
	start, stage := 0, -1
	for i, line := range strings.Split(readFile(t, path), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if body, ok := strings.CutSuffix(strings.TrimRight(line, " \t"), `\`); ok {
			cur.WriteString(body)
			continue
		}
		cur.WriteString(line)
		text := strings.TrimSpace(cur.String())
		cur.Reset()
		cmd, rest, _ := strings.Cut(text, " ")
		in := instruction{Line: start, Cmd: strings.ToUpper(cmd), Stage: stage}
		rest = strings.TrimSpace(rest)
		for strings.HasPrefix(rest, "--") {
			opt, after, _ := strings.Cut(rest, " ")
			name, val, _ := strings.Cut(strings.TrimPrefix(opt, "--"), "=")
			in.Flags = append(in.Flags, [2]string{name, val})
			rest = strings.TrimSpace(after)
		}
		in.Rest = rest
		if in.Cmd == "FROM" {
			stage++
			in.Stage = stage
		}
		out = append(out, in)
	}
	if cur.Len() > 0 {
		t.Errorf("%s: the last instruction ends with a line continuation", rel(path))
	}
	return out
}

// shellWords splits s like a shell would for ENV: whitespace separates,
// quotes group, backslash escapes.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != '\'' && c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		case quote != 0:
			w.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// expandArgs substitutes $NAME, ${NAME} and ${NAME:-default} from vars.
func expandArgs(s string, vars map[string]string) string {
	return os.Expand(s, func(name string) string {
		name, def, hasDef := strings.Cut(name, ":-")
		if v := vars[name]; v != "" || !hasDef {
			return v
		}
		return def
	})
}

var goDirective = regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`)

func TestDockerfile(t *testing.T) {
	const path = "Dockerfile"
	where := rel(path)
	ins := parseDockerfile(t, path)

	globalArgs := map[string]string{}
	var froms []instruction
	for _, in := range ins {
		switch {
		case in.Cmd == "ARG" && in.Stage == -1:
			name, def, _ := strings.Cut(in.Rest, "=")
			globalArgs[name] = unquote(def)
		case in.Cmd == "FROM":
			froms = append(froms, in)
		}
	}
	if len(froms) < 2 {
		t.Fatalf("%s: %d stages, want a build stage and a runtime stage", where, len(froms))
	}
	image := func(from instruction) string { return expandArgs(strings.Fields(from.Rest)[0], globalArgs) }
	stageName := func(from instruction) string {
		if f := strings.Fields(from.Rest); len(f) == 3 && strings.EqualFold(f[1], "AS") {
			return f[2]
		}
		return strconv.Itoa(from.Stage)
	}

	// The build stage: static, stamped, with a Go new enough for go.mod.
	build := -1
	for _, in := range ins {
		if in.Cmd != "RUN" || !strings.Contains(in.Rest, "go build") {
			continue
		}
		build = in.Stage
		at := fmt.Sprintf("%s:%d: RUN go build", where, in.Line)
		if !strings.Contains(in.Rest, "CGO_ENABLED=0") {
			t.Errorf("%s: no CGO_ENABLED=0: the binary would need libc, which distroless/static lacks", at)
		}
		if !strings.Contains(in.Rest, "./cmd/newsalert") {
			t.Errorf("%s: does not build ./cmd/newsalert", at)
		}
		if !strings.Contains(in.Rest, "-X main.version=${VERSION}") && !strings.Contains(in.Rest, "-X main.version=$VERSION") {
			t.Errorf("%s: no -ldflags \"-X main.version=${VERSION}\": images would report version dev", at)
		}
		declared := slices.ContainsFunc(ins, func(a instruction) bool {
			return a.Cmd == "ARG" && a.Stage == in.Stage && a.Line < in.Line && strings.HasPrefix(a.Rest+"=", "VERSION=")
		})
		if !declared {
			t.Errorf("%s: ARG VERSION is not declared in this stage before the RUN: ${VERSION} would be empty", at)
		}
	}
	if build < 0 {
		t.Fatalf("%s: no RUN go build", where)
	}
	goImage := image(froms[build])
	gomod := goDirective.FindStringSubmatch(readFile(t, filepath.Join(repoRoot, "go.mod")))
	img := regexp.MustCompile(`^(?:docker\.io/(?:library/)?)?golang:(\d+)\.(\d+)`).FindStringSubmatch(goImage)
	switch {
	case gomod == nil:
		t.Errorf("go.mod has no go directive")
	case img == nil:
		t.Errorf("%s:%d: build image %q is not golang:MAJOR.MINOR...", where, froms[build].Line, goImage)
	default:
		have := [2]int{atoi(img[1]), atoi(img[2])}
		want := [2]int{atoi(gomod[1]), atoi(gomod[2])}
		if have[0] < want[0] || (have[0] == want[0] && have[1] < want[1]) {
			t.Errorf("%s:%d: build image %s is older than go.mod's go %s.%s", where, froms[build].Line, goImage, gomod[1], gomod[2])
		}
	}

	// The runtime stage.
	final := froms[len(froms)-1]
	if im := image(final); !strings.HasPrefix(im, "gcr.io/distroless/static") || !strings.Contains(im, ":nonroot") {
		t.Errorf("%s:%d: runtime image %q, want gcr.io/distroless/static-debian12:nonroot", where, final.Line, im)
	}
	var (
		env                          = map[string]string{}
		envOrder                     []string
		user, entry, cmd, health     instruction
		exposed, volumes, copyDests  []string
		lastCopy, volumeLine         int
		copiedFromBuild, chownedCopy bool
	)
	for _, in := range ins {
		if in.Stage != final.Stage {
			continue
		}
		switch in.Cmd {
		case "ENV":
			words := shellWords(in.Rest)
			if len(words) > 0 && !strings.Contains(words[0], "=") {
				words = []string{words[0] + "=" + strings.Join(words[1:], " ")}
			}
			for _, w := range words {
				k, v, _ := strings.Cut(w, "=")
				env[k] = v
				envOrder = append(envOrder, k)
			}
		case "USER":
			user = in
		case "ENTRYPOINT":
			entry = in
		case "CMD":
			cmd = in
		case "HEALTHCHECK":
			health = in
		case "EXPOSE":
			for _, p := range strings.Fields(in.Rest) {
				exposed = append(exposed, strings.TrimSuffix(p, "/tcp"))
			}
		case "VOLUME":
			volumeLine = in.Line
			if v, ok := in.execForm(); ok {
				volumes = append(volumes, v...)
			} else {
				volumes = append(volumes, strings.Fields(in.Rest)...)
			}
		case "COPY", "ADD", "RUN":
			lastCopy = in.Line
			if from, ok := in.flag("from"); ok && from == stageName(froms[build]) {
				copiedFromBuild = true
				if f := strings.Fields(in.Rest); len(f) >= 2 {
					copyDests = append(copyDests, f[len(f)-1])
				}
			}
			if ch, ok := in.flag("chown"); ok && (ch == "65532:65532" || ch == "nonroot:nonroot") {
				chownedCopy = true
			}
		}
	}
	checkEnvNames(t, where+" ENV", envOrder)
	checkEnvValues(t, where+" ENV", env)
	port := httpPort(t, where, env)

	if !slices.Contains(exposed, port) {
		t.Errorf("%s: EXPOSE %v does not include %s, the port of NEWSALERT_HTTP_ADDR", where, exposed, port)
	}
	if u := strings.TrimSpace(user.Rest); u != "65532" && u != "65532:65532" && u != "nonroot" && u != "nonroot:nonroot" {
		t.Errorf("%s: USER %q in the runtime stage, want 65532:65532 (distroless nonroot)", where, u)
	}
	if !copiedFromBuild {
		t.Errorf("%s: the runtime stage copies nothing from the build stage %q", where, stageName(froms[build]))
	}

	dataDir := env["NEWSALERT_DATA_DIR"]
	if dataDir == "" || !slices.Contains(volumes, dataDir) {
		t.Errorf("%s: NEWSALERT_DATA_DIR = %q is not a VOLUME (%v): the embedded store's snapshot would live in the container layer", where, dataDir, volumes)
	}
	if !chownedCopy {
		t.Errorf("%s: no COPY --chown=65532:65532 in the runtime stage: %s would be owned by root and the snapshot unwritable", where, dataDir)
	}
	if volumeLine != 0 && lastCopy > volumeLine {
		t.Errorf("%s:%d: a COPY or RUN after VOLUME (line %d): changes to a volume path after VOLUME are discarded", where, lastCopy, volumeLine)
	}

	entryArgs, ok := entry.execForm()
	if !ok || len(entryArgs) == 0 {
		t.Fatalf("%s: ENTRYPOINT %q is not in exec form: signals would go to a shell (and distroless has none)", where, entry.Rest)
	}
	if !slices.ContainsFunc(copyDests, func(d string) bool { return d == entryArgs[0] || d+"/newsalert" == entryArgs[0] }) {
		t.Errorf("%s: ENTRYPOINT %s is not where the binary is copied (%v)", where, entryArgs[0], copyDests)
	}
	if args, ok := cmd.execForm(); cmd.Cmd != "" && (!ok || len(args) == 0 || args[0] != "run") {
		t.Errorf("%s: CMD %q, want [\"run\"]", where, cmd.Rest)
	}

	kind, args, _ := strings.Cut(strings.TrimSpace(health.Rest), " ")
	hc := instruction{Rest: args}
	hcArgs, ok := hc.execForm()
	if health.Cmd == "" || !strings.EqualFold(kind, "CMD") || !ok {
		t.Fatalf("%s: no HEALTHCHECK CMD [\"...\"] in exec form (distroless has no shell)", where)
	}
	checkHealthcheckCmd(t, fmt.Sprintf("%s:%d: HEALTHCHECK", where, health.Line), hcArgs, port)
	if len(hcArgs) > 0 && hcArgs[0] != entryArgs[0] {
		t.Errorf("%s: HEALTHCHECK runs %s, but the binary is %s", where, hcArgs[0], entryArgs[0])
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
