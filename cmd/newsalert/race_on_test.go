//go:build race

package main

// raceEnabled tells tests that the race detector slows everything down
// (5-10x), so that heavy end-to-end runs can take lighter inputs.
const raceEnabled = true
