package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"syscall"
)

// leaseIdentity is the name this process holds leases under (the Telegram
// polling lease). It is "<instance>@<host>" while no other live process on
// this machine uses that name: an exclusive lock on a file in the temporary
// directory proves it, and the kernel drops the lock when the process dies,
// even by SIGKILL. A restart of the same instance therefore gets the same
// name and takes back at once the leases its dead predecessor held, while
// two live processes never share a name (a second one on the machine gets
// a random suffix and waits for the lease like any other replica). release
// drops the lock at shutdown.
func leaseIdentity(instance string) (id string, release func()) {
	host, _ := os.Hostname() // an empty host name still leaves the instance
	id = instance
	if host != "" && host != instance {
		id += "@" + host
	}
	sum := sha256.Sum256([]byte(id))
	path := filepath.Join(os.TempDir(), "newsalert-"+hex.EncodeToString(sum[:8])+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return id + "-" + randomSuffix(), func() {}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return id + "-" + randomSuffix(), func() {}
	}
	return id, func() { f.Close() }
}
