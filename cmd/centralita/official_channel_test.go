package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

// channelModes lists the workspace's numbers as id → mode through REST.
func (a *testApp) channelModes(token string) map[string]string {
	a.t.Helper()
	res := a.do(http.MethodGet, "/v1/channels", token, nil)
	require.Equal(a.t, http.StatusOK, res.Status, string(res.Body))
	var list struct {
		Data []struct{ ID, Mode string }
	}
	res.decode(a.t, &list)
	modes := map[string]string{}
	for _, c := range list.Data {
		modes[c.ID] = c.Mode
	}
	return modes
}

// officials returns the ids of the official numbers among modes.
func officials(modes map[string]string) []string {
	var ids []string
	for id, mode := range modes {
		if mode == "official" {
			ids = append(ids, id)
		}
	}
	return ids
}

// postChannel registers a number through REST; mode "" leaves it out.
func (a *testApp) postChannel(token, phoneNumberID, display, mode string) (string, string) {
	a.t.Helper()
	body := map[string]any{"phone_number_id": phoneNumberID, "waba_id": "102290129340398",
		"display_phone_number": display, "access_token": fakeToken}
	if mode != "" {
		body["mode"] = mode
	}
	res := a.do(http.MethodPost, "/v1/channels", token, body)
	require.Equal(a.t, http.StatusCreated, res.Status, string(res.Body))
	var ch struct{ ID, Mode string }
	res.decode(a.t, &ch)
	return ch.ID, ch.Mode
}

// The real switch: the old number is official, the business registers its
// new number as official, and from that call on the old number is a
// redirect number sending customers to the new one.
func TestANewOfficialNumberTakesOverFromTheOldOne(t *testing.T) {
	const oldNumber, newNumber, customer = "106540352242922", "109999999999999", "51987654321"
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: map[string]whatsapp.FakeNumber{
		oldNumber: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken},
		newNumber: {WABAID: "102290129340398", DisplayPhoneNumber: "15550001111", Token: fakeToken}}})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Switch Co")
	a.startJobs()

	oldID, mode := a.postChannel(tn.APIKey, oldNumber, "+1 555 078 3881", "")
	require.Equal(t, "official", mode, "the first number is official")
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(oldNumber, "wamid.before", customer)).Status)

	newID, mode := a.postChannel(tn.APIKey, newNumber, "+1 555 000 1111", "official")
	require.Equal(t, "official", mode)
	require.Equal(t, map[string]string{oldID: "redirect", newID: "official"}, a.channelModes(tn.OwnerToken))

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(oldNumber, "wamid.after", customer)).Status)
	require.Eventually(t, func() bool { return len(fake.SentMessages()) >= 1 }, 10*time.Second, 20*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	sent := fake.SentMessages()
	require.Len(t, sent, 1, "only the message after the switch is answered")
	require.Equal(t, oldNumber, sent[0].PhoneNumberID)
	require.Contains(t, string(sent[0].Body), "+1 555 000 1111")
	require.Contains(t, string(sent[0].Body), "https://wa.me/15550001111")
}

// At most one number per workspace is official, whichever way it is set:
// REST or GraphQL, create or update. Without a mode only the first number
// is official; a refused change demotes nothing; another workspace's
// official number is left alone.
func TestOneOfficialNumberPerWorkspace(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("One Official Co")
	neighbour := a.bootstrap("Neighbour Co")
	theirs, _ := a.postChannel(neighbour.APIKey, "100000000000009", "+51 900 000 009", "official")

	first, mode := a.postChannel(tn.APIKey, "100000000000001", "+51 900 000 001", "")
	require.Equal(t, "official", mode)
	second, mode := a.postChannel(tn.APIKey, "100000000000002", "+51 900 000 002", "")
	require.Equal(t, "redirect", mode, "demoting the official number is never implicit")
	require.Equal(t, []string{first}, officials(a.channelModes(tn.OwnerToken)))

	patch := func(id string, body map[string]any) response {
		return a.do(http.MethodPatch, "/v1/channels/"+id, tn.APIKey, body)
	}
	res := patch(second, map[string]any{"mode": "official"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, map[string]string{first: "redirect", second: "official"}, a.channelModes(tn.OwnerToken))
	res = patch(first, map[string]any{"mode": "official", "redirect_every_hours": 99999})
	require.Equal(t, http.StatusBadRequest, res.Status, string(res.Body))
	require.Equal(t, map[string]string{first: "redirect", second: "official"}, a.channelModes(tn.OwnerToken),
		"a refused change demotes nothing")

	a.mutate(tn.OwnerToken, "updateChannel", "UpdateChannelInput",
		map[string]any{"channelId": first, "mode": "OFFICIAL"}, "channel { id }")
	d := a.gqlOK(tn.OwnerToken, `{ channels { id mode } }`, nil)
	gqlModes := map[string]string{}
	for _, c := range d.list(t, "channels") {
		gqlModes[c.(map[string]any)["id"].(string)] = c.(map[string]any)["mode"].(string)
	}
	require.Equal(t, map[string]string{first: "OFFICIAL", second: "REDIRECT"}, gqlModes)

	d = a.mutate(tn.OwnerToken, "createChannel", "CreateChannelInput", map[string]any{"phoneNumberId": "100000000000003",
		"wabaId": "102290129340398", "displayPhoneNumber": "+51 900 000 003", "mode": "OFFICIAL"}, "channel { id mode }")
	third := d.str(t, "createChannel.channel.id")
	require.Equal(t, "OFFICIAL", d.str(t, "createChannel.channel.mode"))
	require.Equal(t, map[string]string{first: "redirect", second: "redirect", third: "official"}, a.channelModes(tn.OwnerToken))

	// Retiring the official number without a successor is allowed: the
	// redirect numbers then have no one to point to.
	res = patch(third, map[string]any{"mode": "redirect"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Empty(t, officials(a.channelModes(tn.OwnerToken)))
	require.Equal(t, map[string]string{theirs: "official"}, a.channelModes(neighbour.OwnerToken))
}

// Numbers made official at the same time, by creates and updates, all
// succeed and leave exactly one official number.
func TestConcurrentOfficialSwitchesLeaveOneOfficial(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Race Co")
	var existing []string
	for i := range 3 {
		id, _ := a.postChannel(tn.APIKey, fmt.Sprintf("10000000000010%d", i), "+51 900", "redirect")
		existing = append(existing, id)
	}
	const writers = 12
	statuses := make([]int, writers)
	bodies := make([]string, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			var res response
			if i%2 == 0 {
				res = a.do(http.MethodPatch, "/v1/channels/"+existing[i%3], tn.APIKey, map[string]any{"mode": "official"})
			} else {
				res = a.do(http.MethodPost, "/v1/channels", tn.APIKey, map[string]any{"phone_number_id": fmt.Sprintf("1000000000002%02d", i),
					"waba_id": "102290129340398", "display_phone_number": "+51 901", "mode": "official"})
			}
			statuses[i], bodies[i] = res.Status, string(res.Body)
		})
	}
	wg.Wait()
	for i, st := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, st, bodies[i])
	}
	modes := a.channelModes(tn.OwnerToken)
	require.Len(t, modes, 3+writers/2)
	require.Len(t, officials(modes), 1, "%v", modes)
}
