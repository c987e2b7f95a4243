package access

import (
	"testing"
)

// The expected grid is written out by hand, one letter per relation in
// the order own, unassigned, colleague, other queue: A allowed, F
// forbidden (visible, read-only), H hidden (not found). It is the README's
// roles table; changing a rule means changing both.
func TestDecideConversationActions(t *testing.T) {
	grid := map[Action]map[Role]string{
		Read:             {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAAH"},
		Reply:            {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAFH"},
		Note:             {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAAH"},
		Tag:              {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAFH"},
		Priority:         {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAFH"},
		Status:           {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAFH"},
		Claim:            {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAAH"},
		Assign:           {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "FFFH"},
		Transfer:         {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AFFH"},
		CreateTask:       {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAFH"},
		CompleteTask:     {Owner: "AAAA", Admin: "AAAA", Supervisor: "AAAH", Agent: "AAFH"},
		EditContact:      {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		DeleteContact:    {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		MergeContacts:    {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		TransferContacts: {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		Configure:        {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		ManageOwners:     {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		ReadEvents:       {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
		ReadAuditLog:     {Owner: "FFFF", Admin: "FFFF", Supervisor: "FFFH", Agent: "FFFH"},
	}
	letter := map[Decision]byte{Allowed: 'A', Forbidden: 'F', Hidden: 'H'}
	for _, a := range Actions {
		for _, role := range Roles {
			want, ok := grid[a][role]
			if !ok {
				t.Fatalf("grid lacks %s for %s", a, role)
			}
			for i, r := range Relations {
				if got := letter[Decide(role, a, r)]; got != want[i] {
					t.Errorf("%s %s on %s: got %c, want %c", role, a, r, got, want[i])
				}
			}
		}
	}
}

func TestDecideWorkspaceActions(t *testing.T) {
	for _, tc := range []struct {
		action Action
		want   map[Role]Decision
	}{
		{EditContact, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Allowed, Agent: Allowed}},
		{CreateTask, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Allowed, Agent: Allowed}},
		{DeleteContact, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Allowed, Agent: Forbidden}},
		{MergeContacts, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Allowed, Agent: Forbidden}},
		{TransferContacts, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Forbidden, Agent: Forbidden}},
		{Configure, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Forbidden, Agent: Forbidden}},
		{ManageOwners, map[Role]Decision{Owner: Allowed, Admin: Forbidden, Supervisor: Forbidden, Agent: Forbidden}},
		{ReadEvents, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Forbidden, Agent: Forbidden}},
		{ReadAuditLog, map[Role]Decision{Owner: Allowed, Admin: Allowed, Supervisor: Allowed, Agent: Forbidden}},
		{Reply, map[Role]Decision{Owner: Forbidden, Admin: Forbidden, Supervisor: Forbidden, Agent: Forbidden}},
	} {
		for role, want := range tc.want {
			if got := Decide(role, tc.action, Workspace); got != want {
				t.Errorf("%s %s on the workspace: got %s, want %s", role, tc.action, got, want)
			}
		}
	}
}

func TestUnknownRoleOrActionGetsNothing(t *testing.T) {
	for _, r := range append(Relations, Workspace) {
		if got := Decide("intern", Read, r); got != Hidden {
			t.Errorf("unknown role reading %s: %s", r, got)
		}
		if got := Decide(Owner, "launch", r); got == Allowed {
			t.Errorf("unknown action on %s allowed", r)
		}
	}
}

// Every role can do at least what the role below it can.
func TestRolesAreMonotone(t *testing.T) {
	for _, a := range Actions {
		for i := 0; i+1 < len(Roles); i++ {
			upper, lower := Roles[i], Roles[i+1]
			for _, r := range append(Relations, Workspace) {
				if Decide(lower, a, r) > Decide(upper, a, r) {
					t.Errorf("%s may %s on %s but %s may not", lower, a, r, upper)
				}
			}
		}
	}
}

func TestRelate(t *testing.T) {
	queues := []string{"q1", "q2"}
	for _, tc := range []struct {
		name            string
		user            string
		assignee, queue string
		want            Relation
	}{
		{"mine in my queue", "u1", "u1", "q1", Own},
		{"mine outside my queues", "u1", "u1", "q9", Own},
		{"waiting in my queue", "u1", "", "q2", Unassigned},
		{"a colleague's in my queue", "u1", "u2", "q1", Colleague},
		{"waiting elsewhere", "u1", "", "q9", OtherQueue},
		{"someone's elsewhere", "u1", "u2", "q9", OtherQueue},
		{"no queue", "u1", "", "", OtherQueue},
		{"an API key never holds one", "", "", "q1", Unassigned},
	} {
		if got := Relate(tc.user, queues, tc.assignee, tc.queue); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	if got := Relate("", nil, "", "q1"); got != OtherQueue {
		t.Errorf("a key without queues: got %s", got)
	}
}

func TestRelateTask(t *testing.T) {
	for _, tc := range []struct {
		name         string
		assignee     string
		conversation Relation
		want         Relation
	}{
		{"assigned to me on a colleague's conversation", "u1", Colleague, Own},
		{"assigned to a colleague on my conversation", "u2", Own, Colleague},
		{"unassigned on my conversation", "", Own, Own},
		{"unassigned on a waiting conversation", "", Unassigned, Unassigned},
		{"unassigned on a colleague's conversation", "", Colleague, Colleague},
		{"unassigned on a contact", "", Workspace, Unassigned},
		{"a colleague's on a contact", "u2", Workspace, Colleague},
	} {
		if got := RelateTask("u1", tc.assignee, tc.conversation); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}
