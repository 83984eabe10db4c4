//go:build !linux

package index

import "time"

// threadCPU is unavailable here: CPU-time metrics are not reported.
func threadCPU() (time.Duration, bool) { return 0, false }
