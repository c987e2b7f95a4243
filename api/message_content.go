package api

import "github.com/centralita/centralita/domain"

// The structured content of a message in REST: each field is null unless
// the message type carries it. Snake-case mirrors of the domain types.

type mediaView struct {
	State    string `json:"state"`
	MimeType string `json:"mime_type"`
	Filename string `json:"filename"`
	Caption  string `json:"caption"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Voice    bool   `json:"voice"`
	// Link is the public URL Meta fetches, for media sent by link.
	Link *string `json:"link"`
	// URL downloads the file with the caller's credentials once ready.
	URL   *string `json:"url"`
	Error *string `json:"error"`
}

func viewMedia(m *domain.Message) *mediaView {
	md := m.Media
	if md == nil {
		return nil
	}
	v := &mediaView{State: string(md.State), MimeType: md.MimeType, Filename: md.Filename, Caption: md.Caption,
		Size: md.Size, SHA256: md.SHA256, Voice: md.Voice, Link: nullable(md.Link), Error: nullable(md.Error)}
	if md.State == domain.MediaReady && md.UploadID != "" { // a link is Meta's to fetch, not ours
		u := "/v1/messages/" + m.ID + "/media"
		v.URL = &u
	}
	return v
}

type locationView struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name"`
	Address   string  `json:"address"`
	URL       string  `json:"url"`
}

type sharedContactView struct {
	Name    string            `json:"name"`
	Company string            `json:"company"`
	Phones  []sharedPhoneView `json:"phones"`
}

type sharedPhoneView struct {
	Phone string `json:"phone"`
	WaID  string `json:"wa_id"`
	Type  string `json:"type"`
}

func viewContacts(cs []domain.SharedContact) []sharedContactView {
	out := []sharedContactView{}
	for _, c := range cs {
		v := sharedContactView{Name: c.Name, Company: c.Company, Phones: []sharedPhoneView{}}
		for _, p := range c.Phones {
			v.Phones = append(v.Phones, sharedPhoneView(p))
		}
		out = append(out, v)
	}
	return out
}

type interactiveView struct {
	Kind             string            `json:"kind"`
	Header           string            `json:"header"`
	Footer           string            `json:"footer"`
	Buttons          []replyButtonView `json:"buttons"`
	ListButton       string            `json:"list_button"`
	Sections         []listSectionView `json:"sections"`
	ReplyID          string            `json:"reply_id"`
	ReplyTitle       string            `json:"reply_title"`
	ReplyDescription string            `json:"reply_description"`
	ResponseJSON     string            `json:"response_json"`
}

type replyButtonView struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type listSectionView struct {
	Title string        `json:"title"`
	Rows  []listRowView `json:"rows"`
}

type listRowView struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

func viewInteractive(in *domain.Interactive) *interactiveView {
	if in == nil {
		return nil
	}
	v := &interactiveView{Kind: in.Kind, Header: in.Header, Footer: in.Footer, ListButton: in.ListButton,
		ReplyID: in.ReplyID, ReplyTitle: in.ReplyTitle, ReplyDescription: in.ReplyDescription,
		ResponseJSON: in.ResponseJSON, Buttons: []replyButtonView{}, Sections: []listSectionView{}}
	for _, b := range in.Buttons {
		v.Buttons = append(v.Buttons, replyButtonView(b))
	}
	for _, s := range in.Sections {
		sv := listSectionView{Title: s.Title, Rows: []listRowView{}}
		for _, r := range s.Rows {
			sv.Rows = append(sv.Rows, listRowView(r))
		}
		v.Sections = append(v.Sections, sv)
	}
	return v
}

type reactionView struct {
	Emoji            string  `json:"emoji"`
	TargetID         *string `json:"target_id"`
	TargetProviderID string  `json:"target_provider_id"`
}

type orderView struct {
	CatalogID string          `json:"catalog_id"`
	Text      string          `json:"text"`
	Items     []orderItemView `json:"items"`
}

type orderItemView struct {
	ProductRetailerID string  `json:"product_retailer_id"`
	Quantity          float64 `json:"quantity"`
	ItemPrice         float64 `json:"item_price"`
	Currency          string  `json:"currency"`
}

type systemView struct {
	Kind      string `json:"kind"`
	Body      string `json:"body"`
	NewWaID   string `json:"new_wa_id"`
	NewUserID string `json:"new_user_id"`
}

// contentView is embedded in messageView.
type contentView struct {
	ReplyToID         *string             `json:"reply_to_id"`
	ReplyToProviderID *string             `json:"reply_to_provider_id"`
	Forwarded         bool                `json:"forwarded"`
	Media             *mediaView          `json:"media"`
	Location          *locationView       `json:"location"`
	Contacts          []sharedContactView `json:"contacts"`
	Interactive       *interactiveView    `json:"interactive"`
	Reaction          *reactionView       `json:"reaction"`
	Order             *orderView          `json:"order"`
	System            *systemView         `json:"system"`
}

func viewContent(m *domain.Message) contentView {
	v := contentView{ReplyToID: nullable(m.ReplyToID), ReplyToProviderID: nullable(m.ReplyToProviderID),
		Forwarded: m.Forwarded, Media: viewMedia(m), Contacts: viewContacts(m.Contacts),
		Interactive: viewInteractive(m.Interactive)}
	if l := m.Location; l != nil {
		lv := locationView(*l)
		v.Location = &lv
	}
	if r := m.Reaction; r != nil {
		v.Reaction = &reactionView{Emoji: r.Emoji, TargetID: nullable(r.TargetID), TargetProviderID: r.TargetProviderID}
	}
	if o := m.Order; o != nil {
		v.Order = &orderView{CatalogID: o.CatalogID, Text: o.Text, Items: []orderItemView{}}
		for _, it := range o.Items {
			v.Order.Items = append(v.Order.Items, orderItemView(it))
		}
	}
	if s := m.System; s != nil {
		sv := systemView(*s)
		v.System = &sv
	}
	return v
}
