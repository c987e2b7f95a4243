package main

// Helpers for the GraphQL end-to-end tests: a seeded world per tenant and
// small accessors over the JSON answers.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// gqlWorld is one tenant with one of everything, seeded through the domain.
type gqlWorld struct {
	tenant
	Name           string // unique marker put in names, to detect leaks
	QueueID        string
	OtherQueueID   string
	TagID          string
	ChannelID      string
	ContactID      string
	ConversationID string
	MessageID      string
	NoteID         string
	TaskID         string
	APIKeyID       string
	AgentID        string
	AgentToken     string
}

var phoneSeq atomic.Int64

// seedWorld bootstraps a workspace and fills it: two queues, a tag, a
// channel, a contact, an agent in the first queue and a conversation in that
// queue with an inbound message, a note and a task.
func seedWorld(t *testing.T, a *testApp, name string) gqlWorld {
	t.Helper()
	w := gqlWorld{tenant: a.bootstrap(name), Name: name}
	ctx := a.system(w.tenant)
	svc := a.Service
	q, err := svc.CreateQueue(ctx, domain.QueueInput{Name: new(name + " Ventas")})
	require.NoError(t, err)
	q2, err := svc.CreateQueue(ctx, domain.QueueInput{Name: new(name + " Soporte")})
	require.NoError(t, err)
	tag, err := svc.CreateTag(ctx, domain.TagInput{Name: new(name + " vip"), Color: new("#112233")})
	require.NoError(t, err)
	phone := strconv.FormatInt(5100000000+phoneSeq.Add(1), 10)
	ch, err := svc.CreateChannel(ctx, domain.ChannelInput{Name: new(name + " main"), PhoneNumberID: new(phone),
		WABAID: new("777"), DisplayPhoneNumber: new("+51 1 " + phone)})
	require.NoError(t, err)
	ct, err := svc.CreateContact(ctx, domain.ContactInput{WaID: new("549" + phone),
		Name: new(name + " Ana")})
	require.NoError(t, err)
	w.QueueID, w.OtherQueueID, w.TagID, w.ChannelID, w.ContactID = q.ID, q2.ID, tag.ID, ch.ID, ct.ID
	w.AgentID, w.AgentToken = a.member(w.tenant, strings.ToLower(strings.ReplaceAll(name, " ", ""))+"-agent@example.com",
		domain.RoleAgent, q.ID)
	c := seedConversation(t, a, w, ct.ID, q.ID)
	w.ConversationID = c
	m, err := svc.RecordInboundText(ctx, c, name+" hola", time.Now().UTC())
	require.NoError(t, err)
	w.MessageID = m.ID
	_, err = svc.TagConversation(ctx, c, tag.ID, true)
	require.NoError(t, err)
	n, err := svc.AddNote(ctx, c, name+" note")
	require.NoError(t, err)
	w.NoteID = n.ID
	task, err := svc.CreateTask(ctx, domain.NewTask{ConversationID: c, Title: name + " call back"})
	require.NoError(t, err)
	w.TaskID = task.ID
	keys, err := svc.APIKeys(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, keys)
	w.APIKeyID = keys[0].ID
	return w
}

// seedConversation opens a conversation as the system and returns its id.
func seedConversation(t *testing.T, a *testApp, w gqlWorld, contactID, queueID string) string {
	t.Helper()
	c, err := a.Service.CreateConversation(a.system(w.tenant), domain.NewConversation{ContactID: contactID,
		ChannelID: w.ChannelID, QueueID: queueID})
	require.NoError(t, err)
	return c.ID
}

// gqlOK runs an operation that must succeed without errors and returns its data.
func (a *testApp) gqlOK(token, query string, vars map[string]any) gqlData {
	a.t.Helper()
	res := a.graphql(token, query, vars)
	require.Equal(a.t, 200, res.HTTPStatus)
	require.Empty(a.t, res.Errors, "query %s", query)
	return gqlData(res.Data)
}

// gqlData is the data of an answer, read by dotted paths ("a.b.0.c").
type gqlData json.RawMessage

func (d gqlData) get(t *testing.T, path string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(d, &v))
	for _, key := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[key]
		case []any:
			i, err := strconv.Atoi(key)
			require.NoError(t, err, "path %s", path)
			require.Less(t, i, len(node), "path %s", path)
			v = node[i]
		default:
			t.Fatalf("path %s: cannot descend into %v", path, v)
		}
	}
	return v
}

func (d gqlData) str(t *testing.T, path string) string {
	t.Helper()
	s, _ := d.get(t, path).(string)
	return s
}

func (d gqlData) list(t *testing.T, path string) []any {
	t.Helper()
	l, ok := d.get(t, path).([]any)
	require.True(t, ok, "path %s is not a list", path)
	return l
}

// ids collects the "id" of each element of a list of objects.
func (d gqlData) ids(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, item := range d.list(t, path) {
		out = append(out, fmt.Sprint(item.(map[string]any)["id"]))
	}
	return out
}

// userErrorCodes lists the codes of a payload's userErrors.
func (d gqlData) userErrorCodes(t *testing.T, payload string) []string {
	t.Helper()
	var out []string
	for _, e := range d.list(t, payload+".userErrors") {
		out = append(out, fmt.Sprint(e.(map[string]any)["code"]))
	}
	return out
}
