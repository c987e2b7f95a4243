package domain

import (
	"reflect"
	"testing"
)

func TestGivenFieldsNamesSetInputsInSnakeCase(t *testing.T) {
	name, hours, token := "Ventas", 24, "secret"
	for _, tc := range []struct {
		in   any
		want []string
	}{
		{ChannelInput{}, []string{}},
		{ChannelInput{Name: &name, AccessToken: &token, RedirectEveryHours: &hours},
			[]string{"name", "access_token", "redirect_every_hours"}},
		{ChannelInput{WABAID: &name, DefaultQueueID: &name}, []string{"waba_id", "default_queue_id"}},
		{&QueueInput{SLAPolicyID: &name}, []string{"sla_policy_id"}},
		{WorkspaceUpdate{Name: &name, Lifecycle: LifecycleUpdate{PendingAfterReply: new(bool)}},
			[]string{"name", "pending_after_reply"}},
	} {
		if got := givenFields(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("givenFields(%#v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
