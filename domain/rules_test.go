package domain

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain/access"
)

func TestConversationTransitions(t *testing.T) {
	all := []ConversationStatus{StatusNew, StatusOpen, StatusPendingCustomer, StatusClosed}
	allowed := map[[2]ConversationStatus]bool{
		{StatusNew, StatusOpen}: true, {StatusNew, StatusPendingCustomer}: true, {StatusNew, StatusClosed}: true,
		{StatusOpen, StatusPendingCustomer}: true, {StatusOpen, StatusClosed}: true,
		{StatusPendingCustomer, StatusOpen}: true, {StatusPendingCustomer, StatusClosed}: true,
		{StatusClosed, StatusOpen}: true,
	}
	for _, from := range all {
		for _, to := range all {
			require.Equal(t, allowed[[2]ConversationStatus{from, to}], CanTransition(from, to), "%s -> %s", from, to)
		}
	}
}

func TestDeliveryStatusOnlyMovesForward(t *testing.T) {
	require.True(t, DeliveryQueued.Advances(DeliverySent))
	require.True(t, DeliverySent.Advances(DeliveryRead), "read implies delivered: skipping is fine")
	require.False(t, DeliveryRead.Advances(DeliveryDelivered), "never downgrade")
	require.False(t, DeliveryDelivered.Advances(DeliveryDelivered))
	require.True(t, DeliverySent.Advances(DeliveryFailed))
	require.False(t, DeliveryRead.Advances(DeliveryFailed), "a message the customer read did not fail")
	require.False(t, DeliveryDelivered.Advances(DeliveryFailed))
	require.True(t, DeliveryFailed.Advances(DeliveryRead), "a receipt proving delivery outranks a failure")
	require.False(t, DeliveryFailed.Advances(DeliverySent), "but a plain sent does not")
	require.False(t, DeliveryFailed.Advances(DeliveryQueued))
	require.False(t, DeliverySent.Advances(DeliveryStatus("deleted")), "unknown statuses are ignored")
}

func TestIDsAreTypedAndTimeOrdered(t *testing.T) {
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = NewID(PrefixConversation)
		require.True(t, ValidID(PrefixConversation, ids[i]))
		require.False(t, ValidID(PrefixMessage, ids[i]))
	}
	require.True(t, sort.StringsAreSorted(ids), "ids must sort in creation order")
	for _, bad := range []string{"", "conv_", "conv_short", "conv-" + ids[0][5:], ids[0] + "x", "conv_" + "IIIIIIIIIIIIIIIIIIIIIIIIII"} {
		require.Equal(t, "", IDPrefix(bad), bad)
	}
}

func TestCursorRoundTripAndRejection(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 123456789, time.UTC)
	id := NewID(PrefixConversation)
	c, err := DecodeCursor(EncodeCursor(Cursor{Time: at, ID: id}))
	require.NoError(t, err)
	require.True(t, c.Time.Equal(at))
	require.Equal(t, id, c.ID)
	for _, bad := range []string{"!!!", "bm90LWEtY3Vyc29y", EncodeCursor(Cursor{Time: at, ID: "nope"})} {
		_, err := DecodeCursor(bad)
		require.Equal(t, CodeInvalid, ErrorCode(err), bad)
	}
	for _, bad := range []int{MaxPageSize + 1, 0, -1} {
		_, _, err = PageRequest{Limit: &bad}.Normalize()
		require.Equal(t, CodeInvalid, ErrorCode(err), bad)
		require.Equal(t, "limit", err.(*Error).Field)
	}
	for _, good := range []int{1, MaxPageSize} {
		limit, _, err := PageRequest{Limit: &good}.Normalize()
		require.NoError(t, err)
		require.Equal(t, good, limit)
	}
	limit, _, err := PageRequest{}.Normalize()
	require.NoError(t, err)
	require.Equal(t, DefaultPageSize, limit, "no limit asked for: the default")
}

func TestMakePageTrimsTheLookaheadRow(t *testing.T) {
	items := []int{1, 2, 3}
	key := func(i int) Cursor { return Cursor{Time: time.Unix(int64(i), 0), ID: "x"} }
	p := MakePage(items, 2, key)
	require.Equal(t, []int{1, 2}, p.Items)
	require.True(t, p.HasMore)
	require.NotEmpty(t, p.NextCursor)
	p = MakePage(items, 3, key)
	require.False(t, p.HasMore)
	require.Empty(t, p.NextCursor)
	require.NotNil(t, MakePage([]int(nil), 3, key).Items, "empty pages render as [] not null")
}

func TestVisibility(t *testing.T) {
	conv := &Conversation{QueueID: "que_a", AssigneeID: "usr_x"}
	require.True(t, ConversationVisibility(Principal{Role: RoleAdmin}).CanSee(conv))
	require.True(t, ConversationVisibility(Principal{Role: RoleAgent, UserID: "usr_x"}).CanSee(conv))
	require.True(t, ConversationVisibility(Principal{Role: RoleAgent, UserID: "usr_y", QueueIDs: []string{"que_a"}}).CanSee(conv))
	require.False(t, ConversationVisibility(Principal{Role: RoleAgent, UserID: "usr_y", QueueIDs: []string{"que_b"}}).CanSee(conv))
	require.False(t, ConversationVisibility(Principal{Role: RoleSupervisor}).CanSee(&Conversation{}))
}

// The listing filter (Visibility, applied in SQL by persistence) and the
// access table's read rule agree for every role and relation, API keys
// (no user, no queues) and system callers included.
func TestVisibilityAgreesWithAccessTable(t *testing.T) {
	convs := map[string]*Conversation{
		"own":        {QueueID: "que_a", AssigneeID: "usr_me"},
		"own_abroad": {QueueID: "que_z", AssigneeID: "usr_me"},
		"unassigned": {QueueID: "que_a"},
		"colleague":  {QueueID: "que_a", AssigneeID: "usr_col"},
		"other":      {QueueID: "que_z", AssigneeID: "usr_col"},
		"other_free": {QueueID: "que_z"},
		"no_queue":   {},
	}
	for _, role := range []Role{RoleOwner, RoleAdmin, RoleSupervisor, RoleAgent} {
		for _, p := range []Principal{
			{Role: role, UserID: "usr_me", QueueIDs: []string{"que_a"}},
			{Role: role, APIKeyID: "key_1"},
		} {
			for name, c := range convs {
				read := p.mayOn(access.Read, c)
				require.Equal(t, read == nil, ConversationVisibility(p).CanSee(c), "%s %+v on %s", role, p, name)
				if read != nil {
					require.Equal(t, CodeNotFound, ErrorCode(read))
				}
			}
		}
	}
	for name, c := range convs {
		require.NoError(t, Principal{System: true}.mayOn(access.Read, c), name)
	}
}

func TestThrottleCountsAttemptsUntilWindowEnds(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1000, 0)
	for i := 0; i < 3; i++ {
		ok, _ := th.take("k", 3, time.Minute, now)
		require.True(t, ok)
	}
	ok, wait := th.take("k", 3, time.Minute, now.Add(10*time.Second))
	require.False(t, ok)
	require.Equal(t, 50*time.Second, wait)
	th.refund("k")
	ok, _ = th.take("k", 3, time.Minute, now.Add(10*time.Second))
	require.True(t, ok, "a refunded attempt can be used again")
	ok, _ = th.take("k", 3, time.Minute, now.Add(61*time.Second))
	require.True(t, ok, "a new window starts after the old one ends")
	th.clear("k")
	ok, _ = th.take("k", 1, time.Minute, now)
	require.True(t, ok)
}

func TestValidation(t *testing.T) {
	w := &Workspace{Name: " Acme "}
	require.NoError(t, w.Validate())
	require.Equal(t, "Acme", w.Name)
	require.Equal(t, DefaultTimezone, w.Timezone)
	require.Equal(t, DefaultLocale, w.Locale)
	require.Equal(t, "timezone", mustField(t, (&Workspace{Name: "x", Timezone: "Mars/Olympus"}).Validate()))
	require.Equal(t, "email", mustField(t, validateEmail("Ana <ana@x.com>")))
	require.Equal(t, "password", mustField(t, ValidatePassword("short")))
	require.Equal(t, "color", mustField(t, validateColor("red")))
	require.Equal(t, "wa_id", mustField(t, (&Contact{WaID: "+51 999"}).validate()))
	require.Equal(t, "phone_e164", mustField(t, (&Contact{PhoneE164: "51999"}).validate()))
	require.Equal(t, "close_reason", mustField(t, validateCloseReason("")))
	ch := &Channel{PhoneNumberID: "106540352242922", WABAID: "102290129340398", DisplayPhoneNumber: "15550783881"}
	require.NoError(t, ch.validate())
	require.Equal(t, ChannelModeOfficial, ch.Mode)
	ch.Mode = "legacy"
	require.Equal(t, "mode", mustField(t, ch.validate()))
}

func mustField(t *testing.T, err error) string {
	t.Helper()
	e, ok := AsError(err)
	require.True(t, ok, "want a domain error, got %v", err)
	require.Equal(t, CodeInvalid, e.Code)
	return e.Field
}
