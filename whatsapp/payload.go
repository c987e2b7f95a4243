// Package whatsapp is Meta's WhatsApp Cloud API as a self-contained library:
// webhook payload types and a lenient parser, X-Hub-Signature-256 checks, a
// Graph API client (send, mark read, media) with Meta's error taxonomy, and
// FakeGraph, an in-process stand-in for graph.facebook.com used by tests and
// by `serve --demo`. It imports only the standard library and domain.
//
// Reference: ../shared/docs/whatsapp-cloud-api.md (section numbers below refer to it).
package whatsapp

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// The wire types below mirror Meta's webhook JSON. Arrays whose items must be
// isolated from each other (one bad message must not drop its siblings, §1.5)
// are kept as json.RawMessage and decoded one by one in parse.go.

type wireEnvelope struct {
	Object string            `json:"object"`
	Entry  []json.RawMessage `json:"entry"`
}

type wireEntry struct {
	ID      flexString        `json:"id"`
	Changes []json.RawMessage `json:"changes"`
}

type wireChange struct {
	Field flexString      `json:"field"`
	Value json.RawMessage `json:"value"`
}

type wireValue struct {
	MessagingProduct flexString        `json:"messaging_product"`
	Metadata         wireMetadata      `json:"metadata"`
	Contacts         []json.RawMessage `json:"contacts"`
	Messages         []json.RawMessage `json:"messages"`
	Statuses         []json.RawMessage `json:"statuses"`
	Errors           []json.RawMessage `json:"errors"`
	UserIDUpdates    []json.RawMessage `json:"user_id_update"`
}

type wireMetadata struct {
	DisplayPhoneNumber flexString `json:"display_phone_number"`
	PhoneNumberID      flexString `json:"phone_number_id"`
}

type wireContact struct {
	Profile struct {
		Name     flexString `json:"name"`
		Username flexString `json:"username"`
	} `json:"profile"`
	WaID         flexString `json:"wa_id"`
	UserID       flexString `json:"user_id"`
	ParentUserID flexString `json:"parent_user_id"`
}

// wireMessage holds the fields common to every inbound message. The
// type-specific object is decoded separately so that a malformed one only
// costs that part of the message.
type wireMessage struct {
	ID               flexString        `json:"id"`
	From             flexString        `json:"from"`
	FromUserID       flexString        `json:"from_user_id"`
	FromParentUserID flexString        `json:"from_parent_user_id"`
	GroupID          flexString        `json:"group_id"`
	Timestamp        json.RawMessage   `json:"timestamp"`
	Type             flexString        `json:"type"`
	Context          *wireContext      `json:"context"`
	Referral         *wireReferral     `json:"referral"`
	Errors           []json.RawMessage `json:"errors"`
}

type wireContext struct {
	From                flexString `json:"from"`
	ID                  flexString `json:"id"`
	Forwarded           flexBool   `json:"forwarded"`
	FrequentlyForwarded flexBool   `json:"frequently_forwarded"`
	ReferredProduct     *struct {
		CatalogID         flexString `json:"catalog_id"`
		ProductRetailerID flexString `json:"product_retailer_id"`
	} `json:"referred_product"`
}

type wireReferral struct {
	SourceURL      flexString `json:"source_url"`
	SourceID       flexString `json:"source_id"`
	SourceType     flexString `json:"source_type"`
	Body           flexString `json:"body"`
	Headline       flexString `json:"headline"`
	MediaType      flexString `json:"media_type"`
	ImageURL       flexString `json:"image_url"`
	VideoURL       flexString `json:"video_url"`
	ThumbnailURL   flexString `json:"thumbnail_url"`
	CtwaClid       flexString `json:"ctwa_clid"`
	WelcomeMessage *struct {
		Text flexString `json:"text"`
	} `json:"welcome_message"`
}

type wireText struct {
	Body flexString `json:"body"`
}

type wireMedia struct {
	ID       flexString `json:"id"`
	MimeType flexString `json:"mime_type"`
	SHA256   flexString `json:"sha256"`
	Caption  flexString `json:"caption"`
	Filename flexString `json:"filename"`
	URL      flexString `json:"url"`
	Voice    flexBool   `json:"voice"`
	Animated flexBool   `json:"animated"`
}

type wireLocation struct {
	Latitude  flexFloat  `json:"latitude"`
	Longitude flexFloat  `json:"longitude"`
	Name      flexString `json:"name"`
	Address   flexString `json:"address"`
	URL       flexString `json:"url"`
}

type wireInteractive struct {
	Type        flexString `json:"type"`
	ButtonReply *struct {
		ID    flexString `json:"id"`
		Title flexString `json:"title"`
	} `json:"button_reply"`
	ListReply *struct {
		ID          flexString `json:"id"`
		Title       flexString `json:"title"`
		Description flexString `json:"description"`
	} `json:"list_reply"`
	NFMReply *struct {
		Name         flexString `json:"name"`
		Body         flexString `json:"body"`
		ResponseJSON flexString `json:"response_json"`
	} `json:"nfm_reply"`
}

type wireButton struct {
	Payload flexString `json:"payload"`
	Text    flexString `json:"text"`
}

type wireReaction struct {
	MessageID flexString  `json:"message_id"`
	Emoji     *flexString `json:"emoji"`
}

type wireOrder struct {
	CatalogID    flexString `json:"catalog_id"`
	Text         flexString `json:"text"`
	ProductItems []struct {
		ProductRetailerID flexString `json:"product_retailer_id"`
		Quantity          flexFloat  `json:"quantity"`
		ItemPrice         flexFloat  `json:"item_price"`
		Currency          flexString `json:"currency"`
	} `json:"product_items"`
}

type wireSystem struct {
	Body         flexString `json:"body"`
	Type         flexString `json:"type"`
	WaID         flexString `json:"wa_id"`
	UserID       flexString `json:"user_id"`
	ParentUserID flexString `json:"parent_user_id"`
}

type wireUnsupported struct {
	Type flexString `json:"type"`
}

type wireError struct {
	Code      flexInt    `json:"code"`
	Title     flexString `json:"title"`
	Message   flexString `json:"message"`
	Details   flexString `json:"details"` // legacy flat shape (fx:inbound_unknown_type_131051_legacy.json)
	Href      flexString `json:"href"`
	ErrorData struct {
		Details flexString `json:"details"`
	} `json:"error_data"`
}

type wireStatus struct {
	ID                     flexString        `json:"id"`
	Status                 flexString        `json:"status"`
	Timestamp              json.RawMessage   `json:"timestamp"`
	RecipientID            flexString        `json:"recipient_id"`
	RecipientType          flexString        `json:"recipient_type"`
	RecipientUserID        flexString        `json:"recipient_user_id"`
	RecipientParentUserID  flexString        `json:"recipient_parent_user_id"`
	RecipientParticipantID flexString        `json:"recipient_participant_id"`
	BizOpaqueCallbackData  flexString        `json:"biz_opaque_callback_data"`
	Errors                 []json.RawMessage `json:"errors"`
	Conversation           *struct {
		ID                  flexString      `json:"id"`
		ExpirationTimestamp json.RawMessage `json:"expiration_timestamp"`
		Origin              struct {
			Type flexString `json:"type"`
		} `json:"origin"`
	} `json:"conversation"`
	Pricing *struct {
		Billable     *flexBool  `json:"billable"`
		PricingModel flexString `json:"pricing_model"`
		Type         flexString `json:"type"`
		Category     flexString `json:"category"`
	} `json:"pricing"`
}

type wireUserIDUpdate struct {
	WaID      flexString      `json:"wa_id"`
	Detail    flexString      `json:"detail"`
	Timestamp json.RawMessage `json:"timestamp"`
	UserID    struct {
		Previous flexString `json:"previous"`
		Current  flexString `json:"current"`
	} `json:"user_id"`
	ParentUserID struct {
		Previous flexString `json:"previous"`
		Current  flexString `json:"current"`
	} `json:"parent_user_id"`
}

// The flex* types accept the JSON shapes Meta and third parties actually
// send (ids and timestamps as numbers, booleans as strings) and never return
// an error: encoding/json aborts the whole decode when an Unmarshaler fails,
// which would drop sibling fields and, worse, sibling messages. A value of
// the wrong shape decodes to the zero value; the checks that matter (missing
// id, bad timestamp) are made explicitly in parse.go.

// flexString accepts a JSON string, number or bool (as its literal text).
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	*s = ""
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var v string
		if json.Unmarshal(b, &v) == nil {
			*s = flexString(v)
		}
	case '{', '[', 'n':
		// object, array or null: no usable string
	default: // number, true, false
		*s = flexString(b)
	}
	return nil
}

// flexFloat accepts a JSON number or a numeric string.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	var s flexString
	_ = s.UnmarshalJSON(b)
	v, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		v = 0
	}
	*f = flexFloat(v)
	return nil
}

// flexInt accepts a JSON integer or an integer string; anything else is 0.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	var f flexFloat
	_ = f.UnmarshalJSON(b)
	if float64(f) > math.MaxInt64/2 || float64(f) < math.MinInt64/2 {
		f = 0
	}
	*n = flexInt(f)
	return nil
}

// flexBool accepts true/false and "true"/"false"; anything else is false.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	var s flexString
	_ = s.UnmarshalJSON(b)
	*v = s == "true" || s == "1"
	return nil
}

func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
