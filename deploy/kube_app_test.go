package deploy

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// app is the newsalert Deployment of a set of manifests, with what its
// checks share.
type app struct {
	objs, extra []object // extra: Secrets defined outside the manifests
	d           workload
	pod         podTemplate
	c           container
	at          string // "file:line: Deployment NAME: container NAME"
	port        int    // the port the binary listens on
}

// checkApp checks the newsalert Deployment of objs and what it relies on:
// its ConfigMap and Secret, the probes, the Service and the
// PodDisruptionBudget. Secrets missing from objs are looked up in extra.
func checkApp(t *testing.T, objs, extra []object) {
	t.Helper()
	var dep object
	for _, o := range objs {
		if o.Kind == "Deployment" {
			if dep.Kind != "" {
				t.Fatalf("%s: a second Deployment (%s); want only newsalert's", o.where, o.Metadata.Name)
			}
			dep = o
		}
	}
	if dep.Kind == "" {
		t.Fatal("no Deployment")
	}
	a := app{objs: objs, extra: extra}
	dep.decode(t, &a.d)
	a.at = fmt.Sprintf("%s: Deployment %s", dep.where, dep.Metadata.Name)
	a.pod = a.d.Spec.Template
	if !selects(a.d.Spec.Selector.MatchLabels, a.pod.Metadata.Labels) {
		t.Errorf("%s: spec.selector %v does not match the pod labels %v", a.at, a.d.Spec.Selector.MatchLabels, a.pod.Metadata.Labels)
	}
	if len(a.pod.Spec.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", a.at, len(a.pod.Spec.Containers))
	}
	a.c = a.pod.Spec.Containers[0]
	a.at += ": container " + a.c.Name

	vals := a.checkEnv(t)
	a.port, _ = strconv.Atoi(httpPort(t, a.at, vals))
	a.checkProbes(t)
	a.checkSecretFiles(t)
	a.checkHardening(t)
	a.checkSelectedBy(t)
}

// resolve turns a port given by number or by the container's port name
// into a number (0 when unknown).
func (a *app) resolve(p intOrString) int {
	if n, err := strconv.Atoi(string(p)); err == nil {
		return n
	}
	for _, cp := range a.c.Ports {
		if cp.Name == string(p) {
			return cp.ContainerPort
		}
	}
	return 0
}

// checkEnv checks the environment the binary sees (envFrom, then env) and
// returns its literal values.
func (a *app) checkEnv(t *testing.T) map[string]string {
	t.Helper()
	vals := map[string]string{}
	var names []string
	for _, ef := range a.c.EnvFrom {
		switch {
		case ef.ConfigMapRef != nil:
			cm, ok := find(a.objs, "ConfigMap", ef.ConfigMapRef.Name)
			if !ok {
				t.Errorf("%s: envFrom ConfigMap %q is not among the resources", a.at, ef.ConfigMapRef.Name)
				continue
			}
			var data struct {
				Data map[string]string `yaml:"data"`
			}
			cm.decode(t, &data)
			checkStringData(t, cm)
			for k, v := range data.Data {
				vals[k] = v
				names = append(names, k)
			}
		case ef.SecretRef != nil:
			sec, ok := find(slices.Concat(a.objs, a.extra), "Secret", ef.SecretRef.Name)
			if !ok {
				t.Errorf("%s: envFrom Secret %q not found", a.at, ef.SecretRef.Name)
				continue
			}
			for _, k := range secretKeys(t, sec) {
				vals[k] = ""
				names = append(names, k)
			}
		}
	}
	instanceFromPod := false
	for _, e := range a.c.Env {
		names = append(names, e.Name)
		if e.ValueFrom == nil {
			vals[e.Name] = e.Value
		}
		if e.Name == "NEWSALERT_INSTANCE" && e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.name" {
			instanceFromPod = true
		}
	}
	slices.Sort(names)
	checkEnvNames(t, a.at+": env", names)
	checkEnvValues(t, a.at+": env", vals)
	checkConsoleOff(t, a.at+": env", vals)
	if !instanceFromPod {
		t.Errorf("%s: NEWSALERT_INSTANCE is not set from fieldRef metadata.name: replicas need distinct, stable names", a.at)
	}
	_, redisURL := vals["NEWSALERT_REDIS_URL"]
	_, redisFile := vals["NEWSALERT_REDIS_URL_FILE"]
	if !redisURL && !redisFile {
		t.Errorf("%s: neither NEWSALERT_REDIS_URL nor NEWSALERT_REDIS_URL_FILE: each pod would run its own embedded store", a.at)
	}
	return vals
}

// checkProbes checks the container port and the probes against the port
// the binary listens on and its health paths.
func (a *app) checkProbes(t *testing.T) {
	t.Helper()
	if !slices.ContainsFunc(a.c.Ports, func(p containerPort) bool { return p.ContainerPort == a.port }) {
		t.Errorf("%s: ports %v do not include containerPort %d, the port of NEWSALERT_HTTP_ADDR", a.at, a.c.Ports, a.port)
	}
	for _, pr := range []struct {
		name  string
		probe *probe
		path  string
	}{
		{"startupProbe", a.c.StartupProbe, livenessPath},
		{"livenessProbe", a.c.LivenessProbe, livenessPath},
		{"readinessProbe", a.c.ReadinessProbe, readinessPath},
	} {
		switch {
		case pr.probe == nil || pr.probe.HTTPGet == nil:
			t.Errorf("%s: no %s.httpGet", a.at, pr.name)
		case pr.probe.HTTPGet.Path != pr.path:
			t.Errorf("%s: %s.httpGet.path = %q, want %s", a.at, pr.name, pr.probe.HTTPGet.Path, pr.path)
		case a.resolve(pr.probe.HTTPGet.Port) != a.port:
			t.Errorf("%s: %s.httpGet.port %q is port %d, but the binary listens on %d", a.at, pr.name, pr.probe.HTTPGet.Port, a.resolve(pr.probe.HTTPGet.Port), a.port)
		}
	}
}

// checkSecretFiles checks that every *_FILE variable names a file of a
// mounted Secret volume, that the Secret has that key, and that the
// container's user can read it.
func (a *app) checkSecretFiles(t *testing.T) {
	t.Helper()
	uid := cmpPtr(a.c.SecurityContext.RunAsUser, a.pod.Spec.SecurityContext.RunAsUser)
	for _, e := range a.c.Env {
		if !strings.HasSuffix(e.Name, "_FILE") {
			continue
		}
		dir, file := path.Split(e.Value)
		dir = strings.TrimSuffix(dir, "/")
		mount := ""
		for _, vm := range a.c.VolumeMounts {
			if vm.MountPath == dir {
				mount = vm.Name
			}
		}
		vi := slices.IndexFunc(a.pod.Spec.Volumes, func(v podVolume) bool { return v.Name == mount && mount != "" })
		if vi < 0 || a.pod.Spec.Volumes[vi].Secret == nil {
			t.Errorf("%s: %s = %s, but no Secret volume is mounted at %s", a.at, e.Name, e.Value, dir)
			continue
		}
		sv := a.pod.Spec.Volumes[vi].Secret
		key := file
		for _, it := range sv.Items {
			if it.Path == file {
				key = it.Key
			}
		}
		sec, ok := find(slices.Concat(a.objs, a.extra), "Secret", sv.SecretName)
		if !ok {
			t.Errorf("%s: volume %s mounts Secret %q, defined nowhere (not even in secret.example.yaml)", a.at, mount, sv.SecretName)
		} else if !slices.Contains(secretKeys(t, sec), key) {
			t.Errorf("%s: %s = %s, but Secret %s (%s) has no key %q: the file would be missing and the start fail", a.at, e.Name, e.Value, sv.SecretName, sec.where, key)
		}
		mode := 0o644
		if sv.DefaultMode != nil {
			mode = *sv.DefaultMode
		}
		groupReadable := a.pod.Spec.SecurityContext.FSGroup != nil && mode&0o040 != 0
		if uid != nil && *uid != 0 && mode&0o004 == 0 && !groupReadable {
			t.Errorf("%s: Secret volume %s has mode %#o: files owned by root are unreadable to user %d (give group read with fsGroup)", a.at, mount, mode, *uid)
		}
	}
}

// checkHardening checks the security context and the resources.
func (a *app) checkHardening(t *testing.T) {
	t.Helper()
	sc, psc := a.c.SecurityContext, a.pod.Spec.SecurityContext
	if v := cmpPtr(sc.RunAsNonRoot, psc.RunAsNonRoot); v == nil || !*v {
		t.Errorf("%s: runAsNonRoot is not true", a.at)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("%s: securityContext.readOnlyRootFilesystem is not true", a.at)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: securityContext.allowPrivilegeEscalation is not false", a.at)
	}
	if !slices.Contains(sc.Capabilities.Drop, "ALL") {
		t.Errorf("%s: securityContext.capabilities.drop %v lacks ALL", a.at, sc.Capabilities.Drop)
	}
	if s := cmpOr(sc.SeccompProfile.Type, psc.SeccompProfile.Type); s != "RuntimeDefault" {
		t.Errorf("%s: seccompProfile.type = %q, want RuntimeDefault", a.at, s)
	}
	for _, r := range []string{"cpu", "memory"} {
		req, lim := a.c.Resources.Requests[r], a.c.Resources.Limits[r]
		rq, err1 := parseQuantity(req)
		lq, err2 := parseQuantity(lim)
		switch {
		case err1 != nil || err2 != nil:
			t.Errorf("%s: resources %s: request %q, limit %q: want both set (%v %v)", a.at, r, req, lim, err1, err2)
		case rq > lq:
			t.Errorf("%s: resources %s: request %s above limit %s", a.at, r, req, lim)
		}
	}
}

// checkSelectedBy checks that a Service routes port http to the pods and a
// PodDisruptionBudget guards them without blocking every eviction.
func (a *app) checkSelectedBy(t *testing.T) {
	t.Helper()
	labels := a.pod.Metadata.Labels
	served, guarded := false, false
	for _, o := range a.objs {
		switch o.Kind {
		case "Service":
			var s service
			o.decode(t, &s)
			if !selects(s.Spec.Selector, labels) {
				continue
			}
			for _, p := range s.Spec.Ports {
				if p.Name == "http" && a.resolve(p.TargetPort) == a.port {
					served = true
				} else if p.Name == "http" {
					t.Errorf("%s: Service %s port http targets %q (port %d), but the container listens on %d", o.where, o.Metadata.Name, p.TargetPort, a.resolve(p.TargetPort), a.port)
				}
			}
		case "PodDisruptionBudget":
			var p pdb
			o.decode(t, &p)
			if !selects(p.Spec.Selector.MatchLabels, labels) {
				t.Errorf("%s: PodDisruptionBudget %s selects %v, not the pods (%v)", o.where, o.Metadata.Name, p.Spec.Selector.MatchLabels, labels)
				continue
			}
			guarded = true
			if p.Spec.MinAvailable == nil {
				t.Errorf("%s: PodDisruptionBudget %s has no minAvailable", o.where, o.Metadata.Name)
				continue
			}
			minAvail, err := strconv.Atoi(string(*p.Spec.MinAvailable))
			if replicas := a.d.Spec.Replicas; err == nil && replicas != nil && minAvail >= *replicas {
				t.Errorf("%s: PodDisruptionBudget %s minAvailable %d with %d replicas: no pod could ever be evicted, node drains would hang", o.where, o.Metadata.Name, minAvail, *replicas)
			}
		}
	}
	if !served {
		t.Errorf("%s: no Service selects labels %v with a port named http targeting %d", a.at, labels, a.port)
	}
	if !guarded {
		t.Errorf("%s: no PodDisruptionBudget selects the pods", a.at)
	}
}
