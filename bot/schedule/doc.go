// Package schedule holds the time logic of digests and quiet hours: parsing
// what chat users type for /timezone, /quiet and /digest, and deciding when
// an alert that is ready may be delivered.
//
// Everything here is pure: no clock is read, no I/O is done. Callers pass
// the instant to decide about and the chat's *time.Location.
//
// # Wall clock rules
//
// Quiet hours and digest times are wall-clock times in the chat's zone. A
// wall-clock time of a given day happens at exactly one instant, so a daily
// digest or a quiet period is never lost or doubled by a daylight-saving
// change:
//
//   - A time skipped by a spring-forward gap happens at the first instant
//     after the gap: 02:30 on the day Europe/Berlin jumps from 02:00 to
//     03:00 happens at 03:00 CEST.
//   - A time repeated by a fall-back happens at its first occurrence only:
//     02:30 on the day Europe/Berlin goes from 03:00 back to 02:00 happens
//     at 02:30 CEST, not again at 02:30 CET.
//
// Formally, wall-clock time w on a day happens at the earliest instant whose
// local wall clock reads w or later. Each day's quiet period is the stretch
// of real time between its Start and End so placed (see InQuiet); hourly
// digests go out whenever the wall clock reads a whole hour (see
// NextDigest); Release combines the two.
package schedule
