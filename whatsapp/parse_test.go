package whatsapp

import (
	"testing"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/stretchr/testify/require"
)

// inboundChecks and deliveryChecks (parse_delivery_test.go) assert the
// meaningful fields of every webhook fixture. A new fixture without an entry
// fails TestEveryWebhookFixtureIsChecked.
var inboundChecks = map[string]func(t *testing.T, name string){
	"inbound_text.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Equal(t, "102290129340398", c.WABAID)
		require.Equal(t, "106540352242922", c.PhoneNumberID)
		require.Equal(t, "15550783881", c.DisplayPhoneNumber)
		require.Equal(t, "messages", c.Field)
		require.Equal(t, domain.MessageText, m.Type)
		require.Equal(t, "Does it come in another color?", m.Text)
		require.Equal(t, "16505551234", m.From)
		require.Equal(t, "Sheena Nelson", m.ProfileName)
		require.Equal(t, "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", m.ProviderMessageID)
		require.Equal(t, time.Unix(1749416383, 0).UTC(), m.Timestamp)
		require.NotEmpty(t, m.Raw)
	},
	"inbound_audio_voice.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageAudio, m.Type)
		require.True(t, m.Media.Voice)
		require.Equal(t, "audio/ogg; codecs=opus", m.Media.MimeType)
		require.Equal(t, "1908647269898587", m.Media.ID)
		require.Contains(t, m.Media.URL, "lookaside.fbsbx.com")
	},
	"inbound_image.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageImage, m.Type)
		require.Equal(t, "Taj Mahal", m.Text)
		require.Equal(t, "Taj Mahal", m.Media.Caption)
		require.Equal(t, "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=", m.Media.SHA256)
	},
	"inbound_image_legacy_no_url.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "65463453", m.Media.ID)
		require.Empty(t, m.Media.URL, "pre-Nov-2025 payloads need GET /{media-id}")
	},
	"inbound_image_with_url.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Contains(t, m.Media.URL, "mid=65463453")
	},
	"inbound_video.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageVideo, m.Type)
		require.Equal(t, "Timelapse of growth", m.Text)
		require.Equal(t, "video/mp4", m.Media.MimeType)
	},
	"inbound_document.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageDocument, m.Type)
		require.Equal(t, "receipt.pdf", m.Media.Filename)
		require.Equal(t, "my receipt", m.Text)
	},
	"inbound_document_forwarded_caption.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "filename.pdf", m.Media.Filename)
		require.True(t, m.Context.Forwarded)
	},
	"inbound_sticker_animated.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageSticker, m.Type)
		require.True(t, m.Media.Animated)
		require.Equal(t, "image/webp", m.Media.MimeType)
	},
	"inbound_location.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageLocation, m.Type)
		require.InDelta(t, 37.44221496582, m.Location.Lat, 1e-9)
		require.InDelta(t, -122.16165924072, m.Location.Lng, 1e-9)
		require.Equal(t, "Philz Coffee", m.Location.Name)
		require.Equal(t, "Philz Coffee — 101 Forest Ave, Palo Alto, CA 94301", m.Text)
	},
	"inbound_location_escaped_slashes.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "https://foursquare.com/v/5c42c5667d8497002c6e09f9", m.Location.URL)
		require.Equal(t, "-10.93941311633, -10.606395436721", m.Text)
	},
	"inbound_contacts.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageContacts, m.Type)
		require.Len(t, m.Contacts, 1)
		require.Equal(t, "Barbara J. Johnson", m.Contacts[0].FormattedName)
		require.Equal(t, "Social Tsunami", m.Contacts[0].Company)
		require.Equal(t, "14125550829", m.Contacts[0].Phones[0].WaID)
		require.Equal(t, "Barbara J. Johnson", m.Text)
	},
	"inbound_contacts_brazil_formatted_phone.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "+55 11 11111-1111", m.Contacts[0].Phones[0].Phone)
		require.Equal(t, "5511111111111", m.Contacts[0].Phones[0].WaID)
	},
	"inbound_contacts_two_cards_one_without_wa_id.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Len(t, m.Contacts, 2)
		require.Empty(t, m.Contacts[0].Phones[0].WaID)
		require.Equal(t, "393490000002", m.Contacts[1].Phones[0].WaID)
		require.Equal(t, "Contatto1 Prova, Contatto2 Prova", m.Text)
	},
	"inbound_interactive_button_reply.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageInteractive, m.Type)
		require.Equal(t, &InteractiveReply{Kind: InteractiveButtonReply, ID: "cancel-button", Title: "Cancel"}, m.Interactive)
		require.Equal(t, "Cancel", m.Text)
		require.Equal(t, "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA", m.Context.ID)
	},
	"inbound_interactive_list_reply.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, InteractiveListReply, m.Interactive.Kind)
		require.Equal(t, "priority_express", m.Interactive.ID)
		require.Equal(t, "Next Day to 2 Days", m.Interactive.Description)
	},
	"inbound_interactive_list_reply_with_description.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "list_reply_description", m.Interactive.Description)
		require.Nil(t, m.Context)
	},
	"inbound_interactive_missing_payload_edge.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageInteractive, m.Type)
		require.Nil(t, m.Interactive)
		require.Len(t, c.Errors, 1)
		require.Equal(t, 131000, c.Errors[0].Code)
		require.Equal(t, "Unsupported webhook payload", c.Errors[0].Details)
	},
	"inbound_interactive_nfm_reply_courier.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Equal(t, "+250 788 123 200", c.DisplayPhoneNumber)
		require.Equal(t, InteractiveNFMReply, m.Interactive.Kind)
		require.JSONEq(t, `{"flow_token":"fl0w+t0k3n","first_name":"Bob","age":"32"}`, m.Interactive.ResponseJSON)
	},
	"inbound_interactive_nfm_reply_flow.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, InteractiveNFMReply, m.Interactive.Kind)
		require.Equal(t, "flow", m.Interactive.Name)
		require.Equal(t, "Sent", m.Text)
		require.Contains(t, m.Interactive.ResponseJSON, `"flow_token":"AQAAAAACS5FpgQ_cAAAAAD0QI3s."`)
	},
	"inbound_button_template_quick_reply.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageButton, m.Type)
		require.Equal(t, &ButtonReply{Payload: "Unsubscribe", Text: "Unsubscribe"}, m.Button)
		require.Equal(t, "15550783881", m.Context.From)
	},
	"inbound_button_quick_reply_bsuid_no_context.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "callback_data", m.Button.Payload)
		require.Equal(t, "title", m.Text)
		require.Equal(t, "US.13491208655302741918", m.FromUserID)
		require.Nil(t, m.Context)
	},
	"inbound_reaction.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageReaction, m.Type)
		require.Equal(t, "👍", m.Reaction.Emoji)
		require.False(t, m.Reaction.Removed)
		require.Equal(t, "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=", m.Reaction.MessageID)
	},
	"inbound_reaction_emoji_skin_tone.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "👍🏻", m.Reaction.Emoji)
	},
	"inbound_reaction_removed_empty_emoji.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.True(t, m.Reaction.Removed)
		require.Equal(t, "wamid.yzxyzx=", m.Reaction.MessageID)
	},
	"inbound_reaction_removed_no_emoji.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.True(t, m.Reaction.Removed)
		require.Empty(t, m.Reaction.Emoji)
	},
	"inbound_order.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageOrder, m.Type)
		require.Equal(t, "194836987003835", m.Order.CatalogID)
		require.Equal(t, "Love these!", m.Text)
		require.Equal(t, []OrderItem{{"di9ozbzfi4", 2, 30, "USD"}, {"nqryix03ez", 1, 25, "USD"}}, m.Order.Items)
	},
	"inbound_system_user_changed_number.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Empty(t, c.Contacts)
		require.Equal(t, domain.MessageSystem, m.Type)
		require.Equal(t, "user_changed_number", m.System.Type)
		require.Equal(t, "12195555358", m.System.NewWaID)
		require.Equal(t, "16505551234", m.From)
	},
	"inbound_system_identity_changed.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "customer_identity_changed", m.System.Type)
		require.Equal(t, "User identity changed", m.Text)
	},
	"inbound_request_welcome.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageRequestWelcome, m.Type)
		require.Empty(t, m.Text)
	},
	"inbound_unsupported_edit.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageUnsupported, m.Type)
		require.Equal(t, "edit", m.UnsupportedType)
		require.Equal(t, 131051, m.Errors[0].Code)
		require.Equal(t, "Message type is currently not supported.", m.Errors[0].Details)
	},
	"inbound_unsupported_with_type_poll.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "pool", m.UnsupportedType)
	},
	"inbound_unsupported_deleted_message_131051.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageUnsupported, m.Type)
		require.Equal(t, "Message type unknown", m.Errors[0].Title)
	},
	"inbound_unknown_type_131051_legacy.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageUnsupported, m.Type)
		require.Equal(t, "unknown", m.RawType)
		require.Equal(t, "Message type is not currently supported", m.Errors[0].Details, "flat details")
	},
	"inbound_edit_coexistence.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, domain.MessageUnsupported, m.Type)
		require.Equal(t, "edit", m.RawType)
		require.Contains(t, string(m.Raw), "original_message_id")
	},
	"inbound_group_text.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA", m.GroupID)
		require.Equal(t, "What does everyone think about this?", m.Text)
	},
	"inbound_text_ctwa_referral.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		r := m.Referral
		require.Equal(t, "https://fb.me/3cr4Wqqkv", r.SourceURL)
		require.Equal(t, "120226305854810726", r.SourceID)
		require.Equal(t, "ad", r.SourceType)
		require.Equal(t, "Summer Succulents are here!", r.Body)
		require.Equal(t, "Chat with us", r.Headline)
		require.Equal(t, "image", r.MediaType)
		require.True(t, len(r.CtwaClid) > 20 && r.CtwaClid[:8] == "Aff-n8ZT")
		require.Equal(t, "Hi there! Let us know how we can help!", r.WelcomeMessageText)
	},
	"inbound_text_ads_referral_no_ctwa_clid.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Empty(t, m.Referral.CtwaClid)
		require.Equal(t, "RAW_VIDEO_URL", m.Referral.VideoURL)
		require.Equal(t, "RAW_THUMBNAIL_URL", m.Referral.ThumbnailURL)
	},
	"inbound_text_bsuid_empty_wa_id_dec2025.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Empty(t, m.From)
		require.Equal(t, "user.93737...", m.FromUserID)
		require.Equal(t, "Sheena Nelson", m.ProfileName)
		require.Equal(t, "@realsheenanelson", c.Contacts[0].Username)
	},
	"inbound_text_forwarded.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.True(t, m.Context.Forwarded)
		require.False(t, m.Context.FrequentlyForwarded)
	},
	"inbound_text_frequently_forwarded.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.True(t, m.Context.FrequentlyForwarded)
	},
	"inbound_text_message_business_button_referred_product.json": func(t *testing.T, n string) {
		c, m := onlyMessage(t, n)
		require.Equal(t, "419561257915477", c.WABAID)
		require.Equal(t, &ReferredProduct{CatalogID: "194836987003835", ProductRetailerID: "di9ozbzfi4"}, m.Context.ReferredProduct)
	},
	"inbound_text_reply_context.json": func(t *testing.T, n string) {
		_, m := onlyMessage(t, n)
		require.Equal(t, "wamid.xyzxyz==", m.Context.ID)
		require.Equal(t, "972123456789", m.Context.From)
	},
}

func fixtureCheck(name string) func(t *testing.T, name string) {
	if c, ok := inboundChecks[name]; ok {
		return c
	}
	return deliveryChecks[name]
}

func ptr[T any](v T) *T { return &v }

func TestParseWebhookFixtures(t *testing.T) {
	for _, name := range webhookFixtures(t) {
		t.Run(name, func(t *testing.T) {
			d := parseFixture(t, name)
			require.NotEmpty(t, d.Changes)
			if check := fixtureCheck(name); check != nil {
				check(t, name)
			}
		})
	}
}

func TestEveryWebhookFixtureIsChecked(t *testing.T) {
	for _, name := range webhookFixtures(t) {
		require.NotNil(t, fixtureCheck(name), "add field assertions for %s to inboundChecks or deliveryChecks", name)
	}
}
