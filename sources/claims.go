package sources

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Claims by a named holder. A source claimed for polling is pushed to the
// end of its lease in the due set; when the claiming process dies the
// source waits for that lease (minutes) before another process polls it.
// ClaimAs records who holds each claim, so that a restart of the same
// holder (a stable name that two live processes never share) gives its
// dead predecessor's claims back at once with ReleaseClaims.

func (r *Registry) claimsKey() string { return r.key("claims") }

// claimAsScript is claimScript that also records ARGV[4]|lease end for
// each source claimed.
var claimAsScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
  redis.call('HSET', KEYS[2], id, ARGV[4] .. '|' .. ARGV[2])
end
return due
`)

// releaseClaimsScript makes due at ARGV[2] every source ARGV[1] still
// holds (its due time is still the lease end the claim recorded, so no
// poll saved it since), and forgets ARGV[1]'s claims.
var releaseClaimsScript = redis.NewScript(`
local all = redis.call('HGETALL', KEYS[2])
local n = 0
for i = 1, #all, 2 do
  local id, v = all[i], all[i+1]
  local sep = string.find(v, '|', 1, true)
  if sep and string.sub(v, 1, sep - 1) == ARGV[1] then
    local score = redis.call('ZSCORE', KEYS[1], id)
    if score and tonumber(score) == tonumber(string.sub(v, sep + 1)) then
      redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
      n = n + 1
    end
    redis.call('HDEL', KEYS[2], id)
  end
end
return n
`)

// ClaimAs is Claim for holder, recording the claims for ReleaseClaims.
func (r *Registry) ClaimAs(ctx context.Context, holder string, now time.Time, lease time.Duration, n int) ([]int64, error) {
	res, err := claimAsScript.Run(ctx, r.rdb, []string{r.dueKey(), r.claimsKey()},
		now.UnixMilli(), now.Add(lease).UnixMilli(), n, holder).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim due sources: %w", err)
	}
	ids := make([]int64, 0, len(res))
	for _, s := range res {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// ReleaseClaims makes the sources holder claimed and did not save due at
// now, and returns how many. Call it only when no live process polls as
// holder (at the start of a restarted process).
func (r *Registry) ReleaseClaims(ctx context.Context, holder string, now time.Time) (int, error) {
	n, err := releaseClaimsScript.Run(ctx, r.rdb, []string{r.dueKey(), r.claimsKey()}, holder, now.UnixMilli()).Int()
	if err != nil {
		return 0, fmt.Errorf("release claims of %s: %w", holder, err)
	}
	return n, nil
}
