package deploy

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// composeFile is the part of the Compose specification the checks read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Secrets  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Volumes map[string]any `yaml:"volumes"`
}

type composeService struct {
	Image           string          `yaml:"image"`
	Build           any             `yaml:"build"`
	Command         shellOrList     `yaml:"command"`
	Environment     composeEnv      `yaml:"environment"`
	EnvFile         composeEnvFiles `yaml:"env_file"`
	DependsOn       dependsOn       `yaml:"depends_on"`
	Healthcheck     *healthcheck    `yaml:"healthcheck"`
	Ports           []yaml.Node     `yaml:"ports"`
	Secrets         []yaml.Node     `yaml:"secrets"`
	Volumes         []yaml.Node     `yaml:"volumes"`
	Profiles        []string        `yaml:"profiles"`
	StopGracePeriod string          `yaml:"stop_grace_period"`
	Restart         string          `yaml:"restart"`
	Deploy          struct {
		Replicas *int `yaml:"replicas"`
	} `yaml:"deploy"`
}

type healthcheck struct {
	Test    shellOrList `yaml:"test"`
	Disable bool        `yaml:"disable"`
}

// shellOrList is a command: a list, or a string split like a shell would.
type shellOrList []string

func (s *shellOrList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = shellWords(n.Value)
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

// composeEnv is environment: a map, or a list of NAME=value.
type composeEnv map[string]string

func (e *composeEnv) UnmarshalYAML(n *yaml.Node) error {
	m := composeEnv{}
	switch n.Kind {
	case yaml.MappingNode:
		var raw map[string]*string
		if err := n.Decode(&raw); err != nil {
			return err
		}
		for k, v := range raw {
			if v != nil {
				m[k] = *v
			} else {
				m[k] = ""
			}
		}
	case yaml.SequenceNode:
		var l []string
		if err := n.Decode(&l); err != nil {
			return err
		}
		for _, kv := range l {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
	default:
		return fmt.Errorf("line %d: environment is neither a map nor a list", n.Line)
	}
	*e = m
	return nil
}

// composeEnvFiles is env_file: a path, a list of paths, or of {path, required}.
type composeEnvFiles []string

func (f *composeEnvFiles) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*f = []string{n.Value}
		return nil
	}
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			*f = append(*f, c.Value)
			continue
		}
		var long struct {
			Path string `yaml:"path"`
		}
		if err := c.Decode(&long); err != nil {
			return err
		}
		*f = append(*f, long.Path)
	}
	return nil
}

// dependsOn is depends_on: a list of names, or a map of name to condition.
type dependsOn map[string]string

func (d *dependsOn) UnmarshalYAML(n *yaml.Node) error {
	m := dependsOn{}
	if n.Kind == yaml.SequenceNode {
		var l []string
		if err := n.Decode(&l); err != nil {
			return err
		}
		for _, s := range l {
			m[s] = "service_started"
		}
	} else {
		var long map[string]struct {
			Condition string `yaml:"condition"`
		}
		if err := n.Decode(&long); err != nil {
			return err
		}
		for k, v := range long {
			m[k] = v.Condition
		}
	}
	*d = m
	return nil
}

func loadCompose(t *testing.T, path string) composeFile {
	t.Helper()
	docs := yamlDocs(t, path)
	if len(docs) != 1 {
		t.Fatalf("%s: %d YAML documents, want 1", rel(path), len(docs))
	}
	var c composeFile
	if err := docs[0].Decode(&c); err != nil {
		t.Fatalf("%s: %v", rel(path), err)
	}
	return c
}

// isBot tells a newsalert service from the others by its image or build.
func isBot(s composeService) bool {
	if strings.HasPrefix(s.Image, "newsalert") {
		return true
	}
	b, _ := yaml.Marshal(s.Build)
	return strings.Contains(string(b), "deploy/Dockerfile")
}

// botEnv is a bot service's environment as the container sees it: its
// env_file (the committed NAME.example standing in for an uncommitted
// NAME), then environment, which wins.
func botEnv(t *testing.T, dir string, s composeService) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, f := range s.EnvFile {
		p := filepath.Join(dir, f)
		if _, err := os.Stat(p); err != nil {
			p += ".example"
		}
		for k, v := range parseEnvFile(t, p).Set {
			env[k] = v
		}
	}
	for k, v := range s.Environment {
		env[k] = v
	}
	return env
}

func TestComposeEnvExample(t *testing.T) {
	// compose.yaml sets these per service; the example documents them.
	checkEnvExample(t, ".env.example", nil)
}

func TestCompose(t *testing.T) {
	const path = "compose.yaml"
	where := rel(path)
	c := loadCompose(t, path)

	// Redis: persistent, checked, and never evicting newsalert's keys.
	redisName := ""
	for name, s := range c.Services {
		if strings.HasPrefix(s.Image, "redis:") || s.Image == "redis" {
			redisName = name
		}
	}
	if redisName == "" {
		t.Fatalf("%s: no service with image redis", where)
	}
	redis := c.Services[redisName]
	at := fmt.Sprintf("%s: services.%s", where, redisName)
	checkRedisArgs(t, at+".command", redis.Command)
	if redis.Healthcheck == nil || len(redis.Healthcheck.Test) == 0 || redis.Healthcheck.Disable {
		t.Errorf("%s.healthcheck: missing: the bots wait for a healthy Redis", at)
	} else if !strings.Contains(strings.Join(redis.Healthcheck.Test, " "), "redis-cli ping") {
		t.Errorf("%s.healthcheck.test = %q, want redis-cli ping", at, redis.Healthcheck.Test)
	}
	persisted := false
	for _, v := range redis.Volumes {
		src, dst, _ := strings.Cut(v.Value, ":")
		dst, _, _ = strings.Cut(dst, ":")
		if _, named := c.Volumes[src]; named && dst == "/data" {
			persisted = true
		}
	}
	if !persisted {
		t.Errorf("%s.volumes: no named volume at /data: the AOF would die with the container", at)
	}
	if redis.Restart == "" || redis.Restart == "no" {
		t.Errorf("%s.restart = %q, want a restart policy", at, redis.Restart)
	}

	// The bots.
	var bots []string
	for name, s := range c.Services {
		if isBot(s) {
			bots = append(bots, name)
		}
	}
	slices.Sort(bots)
	if len(bots) == 0 {
		t.Fatalf("%s: no newsalert service (image newsalert or build deploy/Dockerfile)", where)
	}
	instances := map[string]string{}
	replicasWithProfile := 0
	for _, name := range bots {
		s := c.Services[name]
		at := fmt.Sprintf("%s: services.%s", where, name)
		env := botEnv(t, ".", s)
		checkEnvNames(t, at+".environment", slices.Sorted(maps.Keys(s.Environment)))
		vals := map[string]string{}
		for k, v := range env {
			if !strings.Contains(v, "${") {
				vals[k] = v
			}
		}
		checkEnvValues(t, at, vals)
		checkConsoleOff(t, at+".environment", env)
		port := httpPort(t, at, env)

		if cond := s.DependsOn[redisName]; cond != "service_healthy" {
			t.Errorf("%s.depends_on.%s.condition = %q, want service_healthy (the bot must not start before Redis answers)", at, redisName, cond)
		}
		if s.Healthcheck == nil || s.Healthcheck.Disable {
			t.Errorf("%s.healthcheck: missing", at)
		} else if test := s.Healthcheck.Test; len(test) < 2 || test[0] != "CMD" {
			t.Errorf("%s.healthcheck.test = %q, want [\"CMD\", \"/usr/local/bin/newsalert\", \"healthcheck\", ...] (no shell in the image)", at, test)
		} else {
			checkHealthcheckCmd(t, at+".healthcheck.test", test[1:], port)
		}
		if s.Restart == "" || s.Restart == "no" {
			t.Errorf("%s.restart = %q, want a restart policy", at, s.Restart)
		}
		if d, err := time.ParseDuration(s.StopGracePeriod); err != nil || d < 15*time.Second {
			t.Errorf("%s.stop_grace_period = %q, want at least 15s (the default 10s can cut the final snapshot short)", at, s.StopGracePeriod)
		}
		for _, p := range s.Ports {
			target := p.Value
			if i := strings.LastIndex(target, ":"); i >= 0 {
				target = target[i+1:]
			}
			target, _, _ = strings.Cut(target, "/")
			if p.Kind == yaml.MappingNode {
				var long struct {
					Target string `yaml:"target"`
				}
				p.Decode(&long)
				target = long.Target
			}
			if target != port {
				t.Errorf("%s.ports: %q maps container port %s, but the binary listens on %s", at, p.Value, target, port)
			}
		}
		if u := env["NEWSALERT_REDIS_URL"]; u != "" {
			if pu, err := url.Parse(u); err == nil && pu.Hostname() != redisName && !strings.Contains(pu.Hostname(), ".") {
				t.Errorf("%s: NEWSALERT_REDIS_URL points at host %q, but the Redis service is %q", at, pu.Hostname(), redisName)
			}
		} else if _, ok := env["NEWSALERT_REDIS_URL_FILE"]; !ok {
			t.Errorf("%s: no NEWSALERT_REDIS_URL: the bot would run the embedded store beside an unused Redis", at)
		}

		replicas := 1
		if s.Deploy.Replicas != nil {
			replicas = *s.Deploy.Replicas
		}
		inst, fixed := s.Environment["NEWSALERT_INSTANCE"]
		switch {
		case replicas > 1 && fixed:
			t.Errorf("%s: deploy.replicas %d with a fixed NEWSALERT_INSTANCE %q: the replicas would share one delivery consumer and lease name", at, replicas, inst)
		case fixed && instances[inst] != "":
			t.Errorf("%s: NEWSALERT_INSTANCE %q is also services.%s's: every bot needs its own", at, inst, instances[inst])
		case fixed:
			instances[inst] = name
		}
		if len(s.Profiles) == 0 || slices.Contains(s.Profiles, "replicas") {
			replicasWithProfile += replicas
		}
	}
	if replicasWithProfile < 2 {
		t.Errorf("%s: --profile replicas runs %d bot(s), want several", where, replicasWithProfile)
	}
}

// checkRedisArgs checks a redis-server command line for AOF with an fsync
// every second and no eviction.
func checkRedisArgs(t *testing.T, where string, args []string) {
	t.Helper()
	opt := map[string]string{}
	for i, a := range args {
		if name, ok := strings.CutPrefix(a, "--"); ok && i+1 < len(args) {
			opt[name] = args[i+1]
		}
	}
	want := []struct{ name, value, why string }{
		{"appendonly", "yes", "without the AOF a Redis restart loses up to the last RDB save: sources, subscriptions, the outbox"},
		{"appendfsync", "everysec", "at most a second of writes lost on a crash"},
		{"maxmemory-policy", "noeviction", "an evicting Redis silently drops seen sets and the outbox: repeated and lost alerts"},
	}
	for _, w := range want {
		if got := opt[w.name]; got != w.value {
			t.Errorf("%s: --%s %q, want %q: %s", where, w.name, got, w.value, w.why)
		}
	}
}

// TestComposeSecretsOverride checks compose.secrets.yaml: it only extends
// existing services, and every *_FILE variable names a secret mounted in
// that service and defined with a file.
func TestComposeSecretsOverride(t *testing.T) {
	base := loadCompose(t, "compose.yaml")
	const path = "compose.secrets.yaml"
	where := rel(path)
	o := loadCompose(t, path)
	if len(o.Services) == 0 {
		t.Fatalf("%s: no services", where)
	}
	for name, s := range o.Services {
		at := fmt.Sprintf("%s: services.%s", where, name)
		if b, ok := base.Services[name]; !ok || !isBot(b) {
			t.Errorf("%s: not a newsalert service of compose.yaml: the override would create a service with no image", at)
		}
		checkEnvNames(t, at+".environment", slices.Sorted(maps.Keys(s.Environment)))
		mounted := map[string]bool{}
		for _, sec := range s.Secrets {
			if sec.Kind == yaml.ScalarNode {
				mounted[sec.Value] = true
				continue
			}
			var long struct{ Source, Target string }
			sec.Decode(&long)
			mounted[cmpOr(long.Target, long.Source)] = true
		}
		files := 0
		for k, v := range s.Environment {
			if !strings.HasSuffix(k, "_FILE") {
				continue
			}
			files++
			secret, ok := strings.CutPrefix(v, "/run/secrets/")
			switch {
			case !ok:
				t.Errorf("%s.environment.%s = %q, want /run/secrets/NAME", at, k, v)
			case !mounted[secret]:
				t.Errorf("%s.environment.%s = %q, but the service does not mount secret %q", at, k, v, secret)
			case o.Secrets[secret].File == "":
				t.Errorf("%s: secrets.%s has no file", where, secret)
			}
		}
		if files == 0 {
			t.Errorf("%s: no *_FILE variable", at)
		}
	}
	for name, sec := range o.Secrets {
		if !strings.HasPrefix(filepath.ToSlash(filepath.Clean(sec.File)), "secrets/") {
			t.Errorf("%s: secrets.%s.file = %q, want it under secrets/ (ignored by deploy/.gitignore and .dockerignore)", where, name, sec.File)
		}
	}
	gi := readFile(t, ".gitignore")
	for _, want := range []string{".env", "secrets/"} {
		if !slices.Contains(strings.Split(gi, "\n"), want) {
			t.Errorf("deploy/.gitignore: no line %q: local secrets could be committed", want)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
