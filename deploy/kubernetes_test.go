package deploy

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	baseDir    = "kubernetes/base"
	overlayDir = "kubernetes/overlays/example"
)

func TestKubernetesBase(t *testing.T) {
	k := loadKustomization(t, baseDir)
	if slices.Contains(k.Resources, "secret.example.yaml") {
		t.Errorf("%s/kustomization.yaml: lists secret.example.yaml: applying it would overwrite the real Secret with placeholders", rel(baseDir))
	}
	objs := loadObjects(t, resourceFiles(t, baseDir)...)
	example := loadObjects(t, filepath.Join(baseDir, "secret.example.yaml"))
	checkApp(t, objs, example)
	var d workload
	dep, _ := find(objs, "Deployment", "")
	dep.decode(t, &d)
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("%s: Deployment %s: replicas unset or below 2: one pod means alerts stop during every restart", dep.where, dep.Metadata.Name)
	}
}

func TestKubernetesOverlay(t *testing.T) {
	k := loadKustomization(t, overlayDir)
	where := rel(filepath.Join(overlayDir, "kustomization.yaml"))
	baseObjs := loadObjects(t, resourceFiles(t, baseDir)...)
	objs := loadObjects(t, resourceFiles(t, overlayDir)...)
	if k.Namespace == "" {
		t.Errorf("%s: no namespace", where)
	}

	// Patches must hit an object, or kustomize fails (or, for a renamed
	// base object, a patch silently stops applying in some versions).
	for _, p := range k.Patches {
		for _, po := range loadObjects(t, filepath.Join(overlayDir, p.Path)) {
			if _, ok := find(objs, po.Kind, po.Metadata.Name); !ok {
				t.Errorf("%s: patches %s: %s %s is not among the resources", where, p.Path, po.Kind, po.Metadata.Name)
			}
		}
	}

	// The image transformer matches by name: a mismatch leaves the base's
	// image unreplaced.
	dep, _ := find(baseObjs, "Deployment", "")
	var d workload
	dep.decode(t, &d)
	img := d.Spec.Template.Spec.Containers[0].Image
	img, _, _ = strings.Cut(img, ":")
	for _, im := range k.Images {
		if im.Name != img {
			t.Errorf("%s: images name %q matches no container image (the base's is %q): the image would not be replaced", where, im.Name, img)
		}
		if im.NewTag == "" || im.NewTag == "latest" {
			t.Errorf("%s: images %s: newTag %q, want a fixed version", where, im.Name, im.NewTag)
		}
	}

	// The generated Secret must have every key the Deployment reads.
	secretExample := loadObjects(t, filepath.Join(baseDir, "secret.example.yaml"))
	wantKeys := []string{}
	if len(secretExample) == 1 {
		wantKeys = secretKeys(t, secretExample[0])
	}
	var services []string
	for _, o := range objs {
		if o.Kind == "Service" {
			services = append(services, o.Metadata.Name)
		}
	}
	for _, g := range k.SecretGenerator {
		for _, e := range g.Envs {
			p := filepath.Join(overlayDir, e+".example")
			f := parseEnvFile(t, p)
			for _, key := range wantKeys {
				if _, ok := f.Set[key]; !ok {
					t.Errorf("%s: no key %s (the Deployment mounts it for a *_FILE variable)", rel(p), key)
				}
			}
			if u, ok := f.Set["redis-url"]; ok {
				pu, err := url.Parse(u)
				if err != nil || (!slices.Contains(services, pu.Hostname()) && !strings.Contains(pu.Hostname(), ".")) {
					t.Errorf("%s: redis-url %q: host is not a Service of the overlay (%v)", rel(p), u, services)
				}
			}
		}
	}

	// The example Redis: persistent, checked, never evicting.
	sts, ok := find(objs, "StatefulSet", "redis")
	if !ok {
		t.Fatalf("%s: no StatefulSet redis", where)
	}
	var r workload
	sts.decode(t, &r)
	at := fmt.Sprintf("%s: StatefulSet redis", sts.where)
	if len(r.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%s: want one container", at)
	}
	rc := r.Spec.Template.Spec.Containers[0]
	checkRedisArgs(t, at+": args", rc.Args)
	dataDir := "/data"
	for i, a := range rc.Args {
		if a == "--dir" && i+1 < len(rc.Args) {
			dataDir = rc.Args[i+1]
		}
	}
	claimed := false
	for _, vm := range rc.VolumeMounts {
		for _, vct := range r.Spec.VolumeClaimTemplates {
			if vm.Name == vct.Metadata.Name && vm.MountPath == dataDir {
				claimed = true
			}
		}
	}
	if !claimed {
		t.Errorf("%s: %s is not on a volumeClaimTemplate: the AOF would die with the pod", at, dataDir)
	}
	if rc.ReadinessProbe == nil {
		t.Errorf("%s: no readinessProbe", at)
	}
	redisPort := 0
	for _, p := range rc.Ports {
		redisPort = p.ContainerPort
	}
	reached := false
	for _, o := range objs {
		var s service
		if o.Kind != "Service" {
			continue
		}
		o.decode(t, &s)
		if !selects(s.Spec.Selector, r.Spec.Template.Metadata.Labels) {
			continue
		}
		for _, p := range s.Spec.Ports {
			tp := string(p.TargetPort)
			if tp == strconv.Itoa(redisPort) || slices.ContainsFunc(rc.Ports, func(cp containerPort) bool { return cp.Name == tp }) {
				reached = true
			}
		}
	}
	if !reached {
		t.Errorf("%s: no Service selects the Redis pods on port %d", at, redisPort)
	}
}

// kustomizeCmd returns a command that renders a kustomization, if a tool
// for it is installed.
func kustomizeCmd(dir string) (*exec.Cmd, string) {
	if p, err := exec.LookPath("kustomize"); err == nil {
		return exec.Command(p, "build", dir), "kustomize build"
	}
	if p, err := exec.LookPath("kubectl"); err == nil {
		return exec.Command(p, "kustomize", dir), "kubectl kustomize"
	}
	return nil, ""
}

// TestKustomizeBuild renders the base and the overlay as kubectl apply -k
// would and checks what would be applied (patches, generated Secret names,
// image replacement included).
func TestKustomizeBuild(t *testing.T) {
	if c, _ := kustomizeCmd("."); c == nil {
		t.Skip("neither kustomize nor kubectl is installed: the rendered manifests are not checked (the source files are, by TestKubernetesBase and TestKubernetesOverlay)")
	}
	// A copy of the tree, with the overlay's secret.env made from its example.
	tmp := t.TempDir()
	if err := os.CopyFS(tmp, os.DirFS("kubernetes")); err != nil {
		t.Fatal(err)
	}
	ex, err := os.ReadFile(filepath.Join(overlayDir, "secret.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "overlays/example/secret.env"), ex, 0o600); err != nil {
		t.Fatal(err)
	}
	example := loadObjects(t, filepath.Join(baseDir, "secret.example.yaml"))
	for _, dir := range []string{"base", "overlays/example"} {
		t.Run(dir, func(t *testing.T) {
			c, name := kustomizeCmd(filepath.Join(tmp, dir))
			out, err := c.Output()
			if err != nil {
				msg := ""
				if ee, ok := err.(*exec.ExitError); ok {
					msg = string(ee.Stderr)
				}
				t.Fatalf("%s deploy/kubernetes/%s: %v\n%s", name, dir, err, msg)
			}
			f := filepath.Join(t.TempDir(), strings.ReplaceAll(dir, "/", "-")+".rendered.yaml")
			if err := os.WriteFile(f, out, 0o600); err != nil {
				t.Fatal(err)
			}
			objs := loadObjectsAs(t, f, "("+name+" deploy/kubernetes/"+dir+")")
			checkApp(t, objs, example)
			if dir != "base" {
				dep, _ := find(objs, "Deployment", "")
				var d workload
				dep.decode(t, &d)
				if img := d.Spec.Template.Spec.Containers[0].Image; !strings.Contains(img, "/") || !strings.Contains(img, ":") {
					t.Errorf("rendered overlay: container image %q was not replaced by the images transformer", img)
				}
			}
		})
	}
}
