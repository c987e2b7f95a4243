package persistence

import "github.com/centralita/centralita/domain"

type contactRow struct {
	ID               string         `gorm:"column:id;primaryKey"`
	WorkspaceID      string         `gorm:"column:workspace_id"`
	WaID             string         `gorm:"column:wa_id"`
	UserID           string         `gorm:"column:user_id"`
	PhoneE164        string         `gorm:"column:phone_e164"`
	Name             string         `gorm:"column:name"`
	Email            string         `gorm:"column:email"`
	CustomAttributes jsonObject     `gorm:"column:custom_attributes"`
	LeadSource       referralColumn `gorm:"column:lead_source"`
	CreatedAt        utcTime        `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt        utcTime        `gorm:"column:updated_at;autoUpdateTime:false"`
	// Read-only here: only DeleteContact and MergeContacts write them.
	DeletedAt  *utcTime `gorm:"column:deleted_at;->"`
	MergedInto string   `gorm:"column:merged_into;->"`
}

func (contactRow) TableName() string { return "contacts" }

func contactFromDomain(c *domain.Contact) contactRow {
	return contactRow{ID: c.ID, WorkspaceID: c.WorkspaceID, WaID: c.WaID, UserID: c.UserID, PhoneE164: c.PhoneE164,
		Name: c.Name, Email: c.Email, CustomAttributes: jsonObject(c.CustomAttributes),
		LeadSource: referralColumn{c.LeadSource}, CreatedAt: storedTime(&c.CreatedAt), UpdatedAt: storedTime(&c.UpdatedAt),
		DeletedAt: storedTimePtr(c.DeletedAt), MergedInto: c.MergedInto}
}

func (r *contactRow) toDomain() *domain.Contact {
	attrs := map[string]any(r.CustomAttributes)
	if attrs == nil {
		attrs = map[string]any{}
	}
	return &domain.Contact{ID: r.ID, WorkspaceID: r.WorkspaceID, WaID: r.WaID, UserID: r.UserID, PhoneE164: r.PhoneE164,
		Name: r.Name, Email: r.Email, CustomAttributes: attrs, TagIDs: []string{}, LeadSource: r.LeadSource.r,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time, ExternalRefs: []domain.ExternalRef{},
		DeletedAt: timePtr(r.DeletedAt), MergedInto: r.MergedInto}
}

// contactTagRow links a tag to a contact.
type contactTagRow struct {
	WorkspaceID string `gorm:"column:workspace_id"`
	ContactID   string `gorm:"column:contact_id;primaryKey"`
	TagID       string `gorm:"column:tag_id;primaryKey"`
}

func (contactTagRow) TableName() string { return "contact_tags" }

type conversationRow struct {
	ID                     string         `gorm:"column:id;primaryKey"`
	WorkspaceID            string         `gorm:"column:workspace_id"`
	ContactID              string         `gorm:"column:contact_id"`
	ChannelID              *string        `gorm:"column:channel_id"`
	QueueID                *string        `gorm:"column:queue_id"`
	AssigneeID             *string        `gorm:"column:assignee_id"`
	Status                 string         `gorm:"column:status"`
	Priority               string         `gorm:"column:priority"`
	CloseReason            string         `gorm:"column:close_reason"`
	Version                int            `gorm:"column:version"`
	CreatedAt              utcTime        `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt              utcTime        `gorm:"column:updated_at;autoUpdateTime:false"`
	LastActivityAt         utcTime        `gorm:"column:last_activity_at"`
	FirstHumanResponseAt   *utcTime       `gorm:"column:first_human_response_at"`
	LastCustomerMessageAt  *utcTime       `gorm:"column:last_customer_message_at"`
	ClosedAt               *utcTime       `gorm:"column:closed_at"`
	LeadSource             referralColumn `gorm:"column:lead_source"`
	PreviousConversationID *string        `gorm:"column:previous_conversation_id"`
	PendingSince           *utcTime       `gorm:"column:pending_since"`
	// Computed by conversationsWithWindow; never written.
	NumberLastCustomerMessageAt *utcTime `gorm:"column:number_last_customer_message_at;->"`

	SLA slaColumns `gorm:"embedded"`
	// Written only by UpdateConversation: a new conversation is not routed
	// yet (and older schemas, which migration tests write to, lack it).
	Routing jsonColumn[*routingJSON] `gorm:"column:routing;<-:update"`
}

func (conversationRow) TableName() string { return "conversations" }

func conversationFromDomain(c *domain.Conversation) conversationRow {
	return conversationRow{ID: c.ID, WorkspaceID: c.WorkspaceID, ContactID: c.ContactID,
		ChannelID: nullable(c.ChannelID), QueueID: nullable(c.QueueID), AssigneeID: nullable(c.AssigneeID),
		Status: string(c.Status), Priority: string(c.Priority), CloseReason: c.CloseReason, Version: c.Version,
		CreatedAt: storedTime(&c.CreatedAt), UpdatedAt: storedTime(&c.UpdatedAt),
		LastActivityAt:        storedTime(&c.LastActivityAt),
		FirstHumanResponseAt:  storedTimePtr(c.FirstHumanResponseAt),
		LastCustomerMessageAt: storedTimePtr(c.LastCustomerMessageAt), ClosedAt: storedTimePtr(c.ClosedAt),
		LeadSource:             referralColumn{c.LeadSource},
		PreviousConversationID: nullable(c.PreviousConversationID), PendingSince: storedTimePtr(c.PendingSince),
		SLA: slaColumnsFromDomain(c), Routing: routingToJSON(c.Routing)}
}

func (r *conversationRow) toDomain() *domain.Conversation {
	return &domain.Conversation{ID: r.ID, WorkspaceID: r.WorkspaceID, ContactID: r.ContactID,
		ChannelID: str(r.ChannelID), QueueID: str(r.QueueID), AssigneeID: str(r.AssigneeID),
		Status: domain.ConversationStatus(r.Status), Priority: domain.Priority(r.Priority),
		CloseReason: r.CloseReason, TagIDs: []string{}, Version: r.Version,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time, LastActivityAt: r.LastActivityAt.Time,
		FirstHumanResponseAt:  timePtr(r.FirstHumanResponseAt),
		LastCustomerMessageAt: timePtr(r.LastCustomerMessageAt), ClosedAt: timePtr(r.ClosedAt),
		NumberLastCustomerMessageAt: timePtr(r.NumberLastCustomerMessageAt),
		LeadSource:                  r.LeadSource.r,
		PreviousConversationID:      str(r.PreviousConversationID), PendingSince: timePtr(r.PendingSince),
		SLA: r.SLA.sla(), SLARepliedAt: timePtr(r.SLA.SLARepliedAt),
		SLAAwaitingSince: timePtr(r.SLA.SLAAwaitingSince), Routing: routingFromJSON(r.Routing)}
}

// conversationTagRow links a tag to a conversation.
type conversationTagRow struct {
	WorkspaceID    string `gorm:"column:workspace_id"`
	ConversationID string `gorm:"column:conversation_id;primaryKey"`
	TagID          string `gorm:"column:tag_id;primaryKey"`
}

func (conversationTagRow) TableName() string { return "conversation_tags" }

type messageRow struct {
	ID                string         `gorm:"column:id;primaryKey"`
	WorkspaceID       string         `gorm:"column:workspace_id"`
	ConversationID    string         `gorm:"column:conversation_id"`
	ChannelID         *string        `gorm:"column:channel_id"`
	Direction         string         `gorm:"column:direction"`
	AuthorKind        string         `gorm:"column:author_kind"`
	AuthorID          string         `gorm:"column:author_id"`
	Type              string         `gorm:"column:type"`
	Text              string         `gorm:"column:text"`
	PreviewURL        bool           `gorm:"column:preview_url"`
	MarkedReadAt      *utcTime       `gorm:"column:marked_read_at"`
	Content           contentColumn  `gorm:"column:content"`
	ReplyToID         *string        `gorm:"column:reply_to_id"`
	ReplyToProviderID string         `gorm:"column:reply_to_provider_id"`
	Forwarded         bool           `gorm:"column:forwarded"`
	ProviderMessageID string         `gorm:"column:provider_message_id"`
	IdempotencyKey    string         `gorm:"column:idempotency_key"`
	Referral          referralColumn `gorm:"column:referral"`
	Template          templateColumn `gorm:"column:template"`
	Status            string         `gorm:"column:status"`
	ErrorCode         string         `gorm:"column:error_code"`
	ErrorTitle        string         `gorm:"column:error_title"`
	CreatedAt         utcTime        `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         utcTime        `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (messageRow) TableName() string { return "messages" }

func messageFromDomain(m *domain.Message) messageRow {
	return messageRow{ID: m.ID, WorkspaceID: m.WorkspaceID, ConversationID: m.ConversationID,
		ChannelID: nullable(m.ChannelID), Direction: string(m.Direction), AuthorKind: string(m.AuthorKind),
		AuthorID: m.AuthorID, Type: string(m.Type), Text: m.Text, Content: contentColumn{m},
		PreviewURL: m.PreviewURL, MarkedReadAt: storedTimePtr(m.MarkedReadAt),
		ReplyToID: nullable(m.ReplyToID), ReplyToProviderID: m.ReplyToProviderID, Forwarded: m.Forwarded,
		ProviderMessageID: m.ProviderMessageID, IdempotencyKey: m.IdempotencyKey, Referral: referralColumn{m.Referral}, Template: templateColumn{m.Template},
		Status: string(m.Status), ErrorCode: m.ErrorCode,
		ErrorTitle: m.ErrorTitle, CreatedAt: storedTime(&m.CreatedAt), UpdatedAt: storedTime(&m.UpdatedAt)}
}

func (r *messageRow) toDomain() *domain.Message {
	m := &domain.Message{ID: r.ID, WorkspaceID: r.WorkspaceID, ConversationID: r.ConversationID,
		ChannelID: str(r.ChannelID), Direction: domain.Direction(r.Direction),
		AuthorKind: domain.AuthorKind(r.AuthorKind), AuthorID: r.AuthorID, Type: domain.MessageType(r.Type),
		Text: r.Text, PreviewURL: r.PreviewURL, MarkedReadAt: timePtr(r.MarkedReadAt),
		ReplyToID: str(r.ReplyToID), ReplyToProviderID: r.ReplyToProviderID, Forwarded: r.Forwarded,
		ProviderMessageID: r.ProviderMessageID, IdempotencyKey: r.IdempotencyKey,
		Referral: r.Referral.r, Template: r.Template.t,
		Status: domain.DeliveryStatus(r.Status), ErrorCode: r.ErrorCode, ErrorTitle: r.ErrorTitle,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
	r.Content.copyTo(m)
	return m
}

type noteRow struct {
	ID             string  `gorm:"column:id;primaryKey"`
	WorkspaceID    string  `gorm:"column:workspace_id"`
	ConversationID string  `gorm:"column:conversation_id"`
	AuthorID       string  `gorm:"column:author_id"`
	Body           string  `gorm:"column:body"`
	CreatedAt      utcTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (noteRow) TableName() string { return "notes" }

func noteFromDomain(n *domain.Note) noteRow {
	return noteRow{ID: n.ID, WorkspaceID: n.WorkspaceID, ConversationID: n.ConversationID,
		AuthorID: n.AuthorID, Body: n.Body, CreatedAt: storedTime(&n.CreatedAt)}
}

func (r *noteRow) toDomain() *domain.Note {
	return &domain.Note{ID: r.ID, WorkspaceID: r.WorkspaceID, ConversationID: r.ConversationID,
		AuthorID: r.AuthorID, Body: r.Body, CreatedAt: r.CreatedAt.Time}
}

type taskRow struct {
	ID             string   `gorm:"column:id;primaryKey"`
	WorkspaceID    string   `gorm:"column:workspace_id"`
	ConversationID *string  `gorm:"column:conversation_id"`
	ContactID      *string  `gorm:"column:contact_id"`
	Title          string   `gorm:"column:title"`
	DueAt          *utcTime `gorm:"column:due_at"`
	AssigneeID     *string  `gorm:"column:assignee_id"`
	CreatedByID    string   `gorm:"column:created_by_id"`
	Done           bool     `gorm:"column:done"`
	DoneAt         *utcTime `gorm:"column:done_at"`
	CreatedAt      utcTime  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      utcTime  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (taskRow) TableName() string { return "tasks" }

func taskFromDomain(t *domain.Task) taskRow {
	return taskRow{ID: t.ID, WorkspaceID: t.WorkspaceID, ConversationID: nullable(t.ConversationID),
		ContactID: nullable(t.ContactID), Title: t.Title, DueAt: storedTimePtr(t.DueAt),
		AssigneeID: nullable(t.AssigneeID), CreatedByID: t.CreatedByID, Done: t.Done,
		DoneAt: storedTimePtr(t.DoneAt), CreatedAt: storedTime(&t.CreatedAt), UpdatedAt: storedTime(&t.UpdatedAt)}
}

func (r *taskRow) toDomain() *domain.Task {
	return &domain.Task{ID: r.ID, WorkspaceID: r.WorkspaceID, ConversationID: str(r.ConversationID),
		ContactID: str(r.ContactID), Title: r.Title, DueAt: timePtr(r.DueAt), AssigneeID: str(r.AssigneeID),
		CreatedByID: r.CreatedByID, Done: r.Done, DoneAt: timePtr(r.DoneAt),
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}
