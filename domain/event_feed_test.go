package domain

import "testing"

func TestEventCursorRoundTrip(t *testing.T) {
	for _, p := range []EventPosition{{}, {Tx: 0, Seq: 7}, {Tx: 981234, Seq: 1 << 40}} {
		got, err := ParseEventCursor(p.Cursor())
		if err != nil || got != p {
			t.Errorf("ParseEventCursor(%v.Cursor()) = %v, %v", p, got, err)
		}
	}
	for _, bad := range []string{"x", "ZXYxLjE", "ev1.1.2", "ZXYxLi0xLjI" /* ev1.-1.2 */, "ZXYyLjEuMg" /* ev2.1.2 */} {
		if _, err := ParseEventCursor(bad); err == nil {
			t.Errorf("ParseEventCursor(%q) accepted", bad)
		}
	}
}

func TestEventPositionOrder(t *testing.T) {
	cases := []struct {
		p, q EventPosition
		want bool
	}{
		{EventPosition{1, 1}, EventPosition{1, 1}, false},
		{EventPosition{1, 2}, EventPosition{1, 1}, true},
		{EventPosition{2, 1}, EventPosition{1, 9}, true},
		{EventPosition{1, 9}, EventPosition{2, 1}, false},
	}
	for _, c := range cases {
		if got := c.p.After(c.q); got != c.want {
			t.Errorf("%v.After(%v) = %v", c.p, c.q, got)
		}
	}
}
