package sources

import (
	"slices"
	"strconv"
	"time"
)

// encode turns a source into its Redis hash fields.
func encode(s Source) map[string]any {
	return map[string]any{
		"url":           s.URL,
		"name":          s.Name,
		"interval":      s.Interval.String(),
		"state":         string(s.State),
		"added_by":      s.AddedBy,
		"added_in":      s.AddedIn,
		"created":       unixMilli(s.Created),
		"last_fetch":    unixMilli(s.LastFetch),
		"last_success":  unixMilli(s.LastSuccess),
		"last_new":      unixMilli(s.LastNew),
		"last_error":    s.LastError,
		"failures":      s.Failures,
		"etag":          s.ETag,
		"last_modified": s.LastModified,
		"body_hash":     s.BodyHash,
		"fail_notified": boolInt(s.FailNotified),
		"feed_ttl":      s.FeedTTL.String(),
		"max_age":       s.MaxAge.String(),
		"new_rate":      strconv.FormatFloat(s.NewRate, 'f', 3, 64),
		"feed_polls":    s.FeedPolls,
		"flood_at":      unixMilli(s.FloodAt),
		"flood_new":     s.FloodNew,
	}
}

func decode(id int64, m map[string]string) Source {
	iv, _ := time.ParseDuration(m["interval"])
	failures, _ := strconv.Atoi(m["failures"])
	ttl, _ := time.ParseDuration(m["feed_ttl"])
	maxAge, _ := time.ParseDuration(m["max_age"])
	rate, _ := strconv.ParseFloat(m["new_rate"], 64)
	polls, _ := strconv.Atoi(m["feed_polls"])
	floodNew, _ := strconv.Atoi(m["flood_new"])
	return Source{
		ID:           id,
		URL:          m["url"],
		Name:         m["name"],
		Interval:     iv,
		State:        State(m["state"]),
		AddedBy:      m["added_by"],
		AddedIn:      m["added_in"],
		Created:      fromMilli(m["created"]),
		LastFetch:    fromMilli(m["last_fetch"]),
		LastSuccess:  fromMilli(m["last_success"]),
		LastNew:      fromMilli(m["last_new"]),
		LastError:    m["last_error"],
		Failures:     failures,
		ETag:         m["etag"],
		LastModified: m["last_modified"],
		BodyHash:     m["body_hash"],
		FailNotified: m["fail_notified"] == "1",
		FeedTTL:      ttl,
		MaxAge:       maxAge,
		NewRate:      rate,
		FeedPolls:    polls,
		FloodAt:      fromMilli(m["flood_at"]),
		FloodNew:     floodNew,
	}
}

func unixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMilli(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortInt64(s []int64) { slices.Sort(s) }
