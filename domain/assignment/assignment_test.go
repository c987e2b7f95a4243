package assignment

import (
	"testing"
	"time"
)

func at(minute int) *time.Time {
	t := time.Date(2026, 3, 2, 9, minute, 0, 0, time.UTC)
	return &t
}

func online(id string, open, capacity int) Candidate {
	return Candidate{ID: id, Agent: true, Online: true, Open: open, Capacity: capacity}
}

func TestPick(t *testing.T) {
	away := Candidate{ID: "usr_b", Agent: true, Online: false, Open: 0, Capacity: 5}
	for _, tc := range []struct {
		name       string
		mode       Mode
		candidates []Candidate
		last       string
		want       string
	}{
		{"manual never picks", Manual, []Candidate{online("usr_a", 0, 5)}, "", ""},
		{"round robin starts with the first id", RoundRobin,
			[]Candidate{online("usr_c", 0, 5), online("usr_a", 0, 5), online("usr_b", 0, 5)}, "", "usr_a"},
		{"round robin goes to the next after the last", RoundRobin,
			[]Candidate{online("usr_c", 0, 5), online("usr_a", 0, 5), online("usr_b", 0, 5)}, "usr_a", "usr_b"},
		{"round robin wraps around", RoundRobin,
			[]Candidate{online("usr_c", 0, 5), online("usr_a", 0, 5), online("usr_b", 0, 5)}, "usr_c", "usr_a"},
		{"round robin ignores load: the turn decides", RoundRobin,
			[]Candidate{online("usr_a", 0, 5), online("usr_b", 4, 5)}, "usr_a", "usr_b"},
		{"round robin skips the away", RoundRobin,
			[]Candidate{online("usr_a", 0, 5), away, online("usr_c", 0, 5)}, "usr_a", "usr_c"},
		{"round robin skips the full", RoundRobin,
			[]Candidate{online("usr_a", 0, 5), online("usr_b", 5, 5), online("usr_c", 0, 5)}, "usr_a", "usr_c"},
		{"round robin continues after a last one who left the queue", RoundRobin,
			[]Candidate{online("usr_a", 0, 5), online("usr_c", 0, 5)}, "usr_b", "usr_c"},
		{"round robin comes back to the only one with room", RoundRobin,
			[]Candidate{online("usr_a", 1, 5), online("usr_b", 5, 5)}, "usr_a", "usr_a"},
		{"round robin: everyone full waits", RoundRobin,
			[]Candidate{online("usr_a", 5, 5), online("usr_b", 2, 2)}, "", ""},
		{"round robin: nobody online waits", RoundRobin, []Candidate{away}, "", ""},
		{"round robin: no members waits", RoundRobin, nil, "usr_a", ""},
		{"least busy takes the fewest open", LeastBusy,
			[]Candidate{online("usr_a", 3, 5), online("usr_b", 1, 5), online("usr_c", 2, 5)}, "", "usr_b"},
		{"least busy skips the full even when others hold more", LeastBusy,
			[]Candidate{online("usr_a", 1, 1), online("usr_b", 4, 10)}, "", "usr_b"},
		{"least busy skips the away", LeastBusy,
			[]Candidate{online("usr_a", 3, 5), away}, "", "usr_a"},
		{"least busy tie: longest since last assignment", LeastBusy,
			[]Candidate{{ID: "usr_a", Agent: true, Online: true, Open: 1, Capacity: 5, LastAssignedAt: at(30)},
				{ID: "usr_b", Agent: true, Online: true, Open: 1, Capacity: 5, LastAssignedAt: at(10)}}, "", "usr_b"},
		{"least busy tie: never assigned goes first", LeastBusy,
			[]Candidate{{ID: "usr_a", Agent: true, Online: true, Open: 1, Capacity: 5, LastAssignedAt: at(1)},
				{ID: "usr_b", Agent: true, Online: true, Open: 1, Capacity: 5}}, "", "usr_b"},
		{"least busy full tie: by id", LeastBusy,
			[]Candidate{online("usr_b", 0, 5), online("usr_a", 0, 5)}, "", "usr_a"},
		{"least busy: capacity zero takes nothing", LeastBusy,
			[]Candidate{online("usr_a", 0, 0)}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Pick(tc.mode, tc.candidates, tc.last)
			if got != tc.want || ok != (tc.want != "") {
				t.Fatalf("Pick = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}
}

// Dealing many conversations in turn is fair: round robin gives each
// online member with room the same share, and least busy evens the load
// out before anyone reaches capacity.
func TestPickIsFairOverManyConversations(t *testing.T) {
	for _, mode := range []Mode{RoundRobin, LeastBusy} {
		t.Run(string(mode), func(t *testing.T) {
			members := []Candidate{online("usr_a", 0, 10), online("usr_b", 2, 10), online("usr_c", 0, 10),
				{ID: "usr_d", Agent: true, Online: false, Capacity: 10}}
			last := ""
			for n := 0; n < 22; n++ {
				id, ok := Pick(mode, members, last)
				if !ok {
					t.Fatalf("conversation %d found nobody", n)
				}
				for i := range members {
					if members[i].ID == id {
						members[i].Open++
						members[i].LastAssignedAt = at(n)
					}
				}
				last = id
			}
			got := map[string]int{}
			for _, m := range members {
				got[m.ID] = m.Open
			}
			want := map[string]int{"usr_a": 8, "usr_b": 8, "usr_c": 8, "usr_d": 0}
			if mode == RoundRobin {
				// usr_b started with 2 and round robin ignores load.
				want = map[string]int{"usr_a": 8, "usr_b": 9, "usr_c": 7, "usr_d": 0}
			}
			if len(got) != len(want) || got["usr_a"] != want["usr_a"] || got["usr_b"] != want["usr_b"] ||
				got["usr_c"] != want["usr_c"] || got["usr_d"] != want["usr_d"] {
				t.Fatalf("open after dealing = %v, want %v", got, want)
			}
		})
	}
}

func TestOnlyAgentsAreAssignedAutomatically(t *testing.T) {
	supervisor := Candidate{ID: "usr_a", Online: true, Capacity: 5}
	agent := Candidate{ID: "usr_b", Agent: true, Online: true, Capacity: 5}
	for _, mode := range []Mode{RoundRobin, LeastBusy} {
		if got, ok := Pick(mode, []Candidate{supervisor, agent}, ""); !ok || got != "usr_b" {
			t.Errorf("%s picked %q, %v; want the agent", mode, got, ok)
		}
		if got, ok := Pick(mode, []Candidate{supervisor}, ""); ok {
			t.Errorf("%s gave a supervisor %q a conversation", mode, got)
		}
	}
}
