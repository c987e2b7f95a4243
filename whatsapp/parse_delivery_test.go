package whatsapp

import (
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/stretchr/testify/require"
)

// deliveryChecks covers edge cases, statuses, value errors and batches.
var deliveryChecks = map[string]func(t *testing.T, name string){
	"edge_bsuid_in_wa_id_and_from.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "US.1234", m.From)
		require.Equal(t, "US.1234", m.FromUserID)
	},
	"edge_dashboard_test_webhook.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Equal(t, "0", c.WABAID)
		require.Equal(t, "123456123", c.PhoneNumberID)
		require.Equal(t, "ABGGFlA5Fpa", m.ProviderMessageID)
		require.Equal(t, 2017, m.Timestamp.Year())
	},
	"edge_duplicate_message_in_same_delivery.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Len(t, d.Changes[0].Messages, 2, "dedupe is the store's job")
		require.Equal(t, d.Changes[0].Messages[0].ProviderMessageID, d.Changes[0].Messages[1].ProviderMessageID)
	},
	"edge_invalid_timestamp.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Len(t, d.Changes[0].Messages, 1)
		m := d.Changes[0].Messages[0]
		require.True(t, m.Timestamp.IsZero())
		require.Equal(t, "Hello World", m.Text)
		require.Len(t, d.Problems, 1)
		require.Equal(t, "entry[0].changes[0].value.messages[0].timestamp", d.Problems[0].Path)
	},
	"edge_message_without_from.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Empty(t, m.From)
		require.Empty(t, m.FromUserID)
		require.Equal(t, "Kerry Fisher", m.ProfileName)
	},
	"edge_status_deleted_legacy.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, "deleted", s.Status)
		_, ok := s.DeliveryStatus()
		require.False(t, ok)
	},
	"edge_status_failed_131014_url_fetch.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, "failed", s.Status)
		require.Equal(t, 131014, s.Errors[0].Code)
		require.Equal(t, time.Unix(1454119029, 0).UTC(), s.Conversation.ExpiresAt, "integer expiration_timestamp")
		require.Equal(t, "referral_conversion", s.Pricing.Category)
	},
	"edge_status_unknown_value_in_orbit.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, "in_orbit", s.Status)
	},
	"edge_unsupported_errors_flat_details.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageUnsupported, m.Type)
		require.Equal(t, "Message type is not currently supported", m.Errors[0].Details)
	},
	"edge_value_errors_code0.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Equal(t, []Error{{Code: 0, Title: "We were unable to authenticate the app user"}}, d.Changes[0].Errors)
	},
	"value_errors_130429.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		e := d.Changes[0].Errors[0]
		require.Equal(t, 130429, e.Code)
		require.Equal(t, "Rate limit hit", e.Title)
		require.Contains(t, e.Details, "too many messages")
		require.Empty(t, d.Changes[0].Messages)
	},
	"status_failed_130472_experiment.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, 130472, s.Errors[0].Code)
		require.Equal(t, "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/", s.Errors[0].Href)
	},
	"status_failed_131026_undeliverable.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, 131026, s.Errors[0].Code)
		require.Equal(t, "32400000001", s.RecipientID)
	},
	"status_failed_131047_reengagement.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		st, ok := s.DeliveryStatus()
		require.True(t, ok)
		require.Equal(t, domain.DeliveryFailed, st)
		require.Equal(t, 131047, s.Errors[0].Code)
	},
	"status_failed_131049_ecosystem.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, 131049, s.Errors[0].Code)
		require.Equal(t, "/documentation/business-messaging/whatsapp/support/error-codes", s.Errors[0].Href)
	},
	"status_failed_131053_media_upload.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, "Unsupported Video mime type text/html. Please use one of video/3gpp, video/mp4.", s.Errors[0].Details)
	},
	"status_played_voice.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		st, _ := s.DeliveryStatus()
		require.Equal(t, domain.DeliveryPlayed, st)
	},
	"status_read_cbp_with_contacts_bsuid.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Equal(t, "read", d.Changes[0].Statuses[0].Status)
		require.Equal(t, "US.13491208655302741918", d.Changes[0].Contacts[0].UserID)
	},
	"status_sent_cbp_business_initiated_legacy.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, "business_initiated", s.Pricing.Category)
		require.Equal(t, "CBP", s.Pricing.PricingModel)
	},
	"status_sent_marketing_pmp.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, &Pricing{Billable: ptr(true), PricingModel: "PMP", Type: "regular", Category: "marketing"}, s.Pricing)
		require.Equal(t, "marketing", s.Conversation.OriginType)
		require.Equal(t, time.Unix(1750030073, 0).UTC(), s.Timestamp)
	},
	"status_sent_minimal_v24.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Nil(t, s.Pricing)
		require.Nil(t, s.Conversation)
		require.Equal(t, "16505551234", s.RecipientID)
	},
	"status_sent_with_biz_opaque_callback_data.json": func(t *testing.T, n string) {
		s := onlyStatus(t, n)
		require.Equal(t, "some data", s.BizOpaqueCallbackData)
	},
	"batch_two_changes_same_entry.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Len(t, d.Changes, 2)
		require.Equal(t, "MESSAGE_BODY", d.Changes[0].Messages[0].Text)
		require.Equal(t, "MESSAGE_BODY2", d.Changes[1].Messages[0].Text)
	},
	"batch_composed_two_wabas_two_numbers.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Empty(t, d.Problems)
		perNumber := map[string]int{}
		wabas := map[string]bool{}
		for _, c := range d.Changes {
			perNumber[c.PhoneNumberID] += len(c.Messages) + len(c.Statuses)
			wabas[c.WABAID] = true
		}
		require.Equal(t, map[string]int{"106540352242922": 4, "114896151713920": 3}, perNumber)
		require.Len(t, wabas, 2)
	},
	"batch_composed_failed_before_sent_out_of_order.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		require.Len(t, d.Changes, 2)
		require.Equal(t, "failed", d.Changes[0].Statuses[0].Status)
		require.Equal(t, "sent", d.Changes[1].Statuses[0].Status)
		require.True(t, d.Changes[1].Statuses[0].Timestamp.Before(d.Changes[0].Statuses[0].Timestamp))
	},
	"webhook_user_id_update.json": func(t *testing.T, n string) {
		d := parseFixture(t, n)
		c := d.Changes[0]
		require.Equal(t, "user_id_update", c.Field)
		require.Equal(t, []UserIDUpdate{{WaID: "16505551234", Detail: "User id for Sheena Nelson has been updated.",
			PreviousUserID: "US.10101010101010101010", CurrentUserID: "US.13491208655302741918",
			PreviousParentUserID: "US.ENT.10101010101010101010", CurrentParentUserID: "US.ENT.11815799212886844830",
			Timestamp: time.Unix(1749416383, 0).UTC()}}, c.UserIDUpdates)
	},
}
