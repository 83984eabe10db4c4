package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockFile is the file in the data folder that the owning process holds an
// exclusive flock on, and writes its process id into.
const LockFile = "newsalert.lock"

// ErrDataDirInUse is wrapped by the error of a start that finds another
// process holding the data folder.
var ErrDataDirInUse = errors.New("data folder in use")

// inUseError says which process holds the folder.
type inUseError struct{ dir, pid string }

func (e *inUseError) Error() string {
	return fmt.Sprintf("data folder %s is in use by process %s", e.dir, e.pid)
}

func (e *inUseError) Is(target error) bool { return target == ErrDataDirInUse }

// dirLock is a held lock on a data folder.
type dirLock struct{ f *os.File }

// lockDataDir takes the exclusive lock of dir, or fails at once with
// "data folder DIR is in use by process PID" when another process holds
// it. It changes nothing in dir when it fails.
func lockDataDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := strings.TrimSpace(string(b[:n]))
			if _, perr := strconv.Atoi(pid); perr != nil {
				pid = "unknown"
			}
			return nil, &inUseError{dir: dir, pid: pid}
		}
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

// release drops the lock. The file stays: removing it would let a third
// process lock a new file while a second still waits on the old one.
func (l *dirLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
