package deploy

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// object is one Kubernetes object of a manifest.
type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	node  *yaml.Node
	where string // file:line
}

func (o object) decode(t *testing.T, v any) {
	t.Helper()
	if err := o.node.Decode(v); err != nil {
		t.Fatalf("%s: %s %s: %v", o.where, o.Kind, o.Metadata.Name, err)
	}
}

// intOrString is a port given by number or by name.
type intOrString string

func (p *intOrString) UnmarshalYAML(n *yaml.Node) error { *p = intOrString(n.Value); return nil }

type labelSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

type probe struct {
	HTTPGet *struct {
		Path string      `yaml:"path"`
		Port intOrString `yaml:"port"`
	} `yaml:"httpGet"`
	Exec *struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
	TCPSocket *struct {
		Port intOrString `yaml:"port"`
	} `yaml:"tcpSocket"`
}

type securityContext struct {
	RunAsNonRoot             *bool  `yaml:"runAsNonRoot"`
	RunAsUser                *int64 `yaml:"runAsUser"`
	FSGroup                  *int64 `yaml:"fsGroup"`
	AllowPrivilegeEscalation *bool  `yaml:"allowPrivilegeEscalation"`
	ReadOnlyRootFilesystem   *bool  `yaml:"readOnlyRootFilesystem"`
	Capabilities             struct {
		Drop []string `yaml:"drop"`
	} `yaml:"capabilities"`
	SeccompProfile struct {
		Type string `yaml:"type"`
	} `yaml:"seccompProfile"`
}

type containerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
}

// podVolume is a pod's volume; only Secret volumes are read.
type podVolume struct {
	Name   string `yaml:"name"`
	Secret *struct {
		SecretName  string `yaml:"secretName"`
		DefaultMode *int   `yaml:"defaultMode"`
		Items       []struct {
			Key  string `yaml:"key"`
			Path string `yaml:"path"`
		} `yaml:"items"`
	} `yaml:"secret"`
}

type container struct {
	Name  string          `yaml:"name"`
	Image string          `yaml:"image"`
	Args  []string        `yaml:"args"`
	Ports []containerPort `yaml:"ports"`
	Env   []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			FieldRef *struct {
				FieldPath string `yaml:"fieldPath"`
			} `yaml:"fieldRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	EnvFrom []struct {
		ConfigMapRef *struct {
			Name string `yaml:"name"`
		} `yaml:"configMapRef"`
		SecretRef *struct {
			Name string `yaml:"name"`
		} `yaml:"secretRef"`
	} `yaml:"envFrom"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext securityContext `yaml:"securityContext"`
	StartupProbe    *probe          `yaml:"startupProbe"`
	LivenessProbe   *probe          `yaml:"livenessProbe"`
	ReadinessProbe  *probe          `yaml:"readinessProbe"`
}

type podTemplate struct {
	Metadata struct {
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		SecurityContext securityContext `yaml:"securityContext"`
		Containers      []container     `yaml:"containers"`
		Volumes         []podVolume     `yaml:"volumes"`
	} `yaml:"spec"`
}

// workload is a Deployment or a StatefulSet.
type workload struct {
	Spec struct {
		Replicas             *int          `yaml:"replicas"`
		Selector             labelSelector `yaml:"selector"`
		Template             podTemplate   `yaml:"template"`
		VolumeClaimTemplates []struct {
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
		} `yaml:"volumeClaimTemplates"`
	} `yaml:"spec"`
}

type service struct {
	Spec struct {
		Selector map[string]string `yaml:"selector"`
		Ports    []struct {
			Name       string      `yaml:"name"`
			Port       int         `yaml:"port"`
			TargetPort intOrString `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type pdb struct {
	Spec struct {
		MinAvailable   *intOrString  `yaml:"minAvailable"`
		MaxUnavailable *intOrString  `yaml:"maxUnavailable"`
		Selector       labelSelector `yaml:"selector"`
	} `yaml:"spec"`
}

type kustomization struct {
	Namespace string   `yaml:"namespace"`
	Resources []string `yaml:"resources"`
	Patches   []struct {
		Path string `yaml:"path"`
	} `yaml:"patches"`
	Images []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
	} `yaml:"images"`
	SecretGenerator []struct {
		Name string   `yaml:"name"`
		Envs []string `yaml:"envs"`
	} `yaml:"secretGenerator"`
}

// loadObjects reads every object of the manifest files.
func loadObjects(t *testing.T, files ...string) []object {
	t.Helper()
	var out []object
	for _, f := range files {
		out = append(out, loadObjectsAs(t, f, rel(f))...)
	}
	return out
}

// loadObjectsAs reads the objects of file, naming it name in messages.
func loadObjectsAs(t *testing.T, file, name string) []object {
	t.Helper()
	var out []object
	for _, d := range yamlDocs(t, file) {
		var o object
		if err := d.Decode(&o); err != nil {
			t.Fatalf("%s:%d: %v", name, d.Line, err)
		}
		if o.Kind == "" {
			continue
		}
		o.node, o.where = d, fmt.Sprintf("%s:%d", name, d.Line)
		out = append(out, o)
	}
	return out
}

func loadKustomization(t *testing.T, dir string) kustomization {
	t.Helper()
	var k kustomization
	docs := yamlDocs(t, filepath.Join(dir, "kustomization.yaml"))
	if len(docs) != 1 {
		t.Fatalf("%s: want one document", rel(filepath.Join(dir, "kustomization.yaml")))
	}
	if err := docs[0].Decode(&k); err != nil {
		t.Fatalf("%s: %v", rel(filepath.Join(dir, "kustomization.yaml")), err)
	}
	return k
}

// resourceFiles lists the manifest files a kustomization's resources name,
// following directories (other kustomizations).
func resourceFiles(t *testing.T, dir string) []string {
	t.Helper()
	k := loadKustomization(t, dir)
	var files []string
	for _, r := range k.Resources {
		p := filepath.Join(dir, r)
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: resource %s does not exist", rel(filepath.Join(dir, "kustomization.yaml")), r)
			continue
		}
		if st.IsDir() {
			files = append(files, resourceFiles(t, p)...)
		} else {
			files = append(files, p)
		}
	}
	return files
}

func find(objs []object, kind, name string) (object, bool) {
	for _, o := range objs {
		if o.Kind == kind && (name == "" || o.Metadata.Name == name) {
			return o, true
		}
	}
	return object{}, false
}

// selects reports whether selector (non-empty) matches labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// secretKeys lists a Secret's keys (data and stringData).
func secretKeys(t *testing.T, o object) []string {
	t.Helper()
	var s struct {
		Data       map[string]string `yaml:"data"`
		StringData map[string]string `yaml:"stringData"`
	}
	o.decode(t, &s)
	return slices.Sorted(maps.Keys(mergeMaps(s.Data, s.StringData)))
}

func mergeMaps(a, b map[string]string) map[string]string {
	m := maps.Clone(a)
	if m == nil {
		m = map[string]string{}
	}
	maps.Copy(m, b)
	return m
}

// checkStringData fails for ConfigMap values that are not YAML strings:
// the API refuses a ConfigMap with data: {X: 64}.
func checkStringData(t *testing.T, cm object) {
	t.Helper()
	for i, n := range cm.node.Content[0].Content {
		if n.Value != "data" || i%2 != 0 || i+1 >= len(cm.node.Content[0].Content) {
			continue
		}
		data := cm.node.Content[0].Content[i+1]
		for j := 1; j < len(data.Content); j += 2 {
			if v := data.Content[j]; v.Tag != "!!str" {
				t.Errorf("%s: ConfigMap %s data.%s = %s is a %s, not a string; quote it", cm.where, cm.Metadata.Name, data.Content[j-1].Value, v.Value, v.Tag)
			}
		}
	}
}

func cmpPtr[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// parseQuantity reads a Kubernetes quantity ("50m", "1", "64Mi", "1G").
func parseQuantity(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("unset")
	}
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(n, 64)
			return f * u.mult, err
		}
	}
	return strconv.ParseFloat(s, 64)
}
