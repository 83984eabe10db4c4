package metrics

import "testing"

func TestDeliveryReadsTheCounters(t *testing.T) {
	m := New()
	m.InitPlatforms("telegram")
	m.Dropped("stale", 2)
	m.RateLimited("telegram")
	m.Failed("telegram")
	m.Failed("telegram")
	d, err := m.Delivery()
	if err != nil {
		t.Fatal(err)
	}
	if d.Dropped["stale"] != 2 || d.Dropped["chat_paused"] != 0 || d.RateLimited["telegram"] != 1 || d.Failed["telegram"] != 2 {
		t.Fatalf("%+v", d)
	}
	var nilM *Metrics
	if d, err := nilM.Delivery(); err != nil || d.Dropped == nil {
		t.Fatalf("nil metrics: %+v %v", d, err)
	}
}
