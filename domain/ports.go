package domain

import (
	"context"
	"time"
)

// The ports below are implemented by persistence. Every method except those
// of AuthStore and CreateWorkspace is scoped to the workspace of the
// principal in ctx: persistence fails closed when ctx carries none.
// Find* methods return a not_found Error when the row does not exist in the
// caller's workspace; unique-key violations come back as conflict Errors.

// Tx runs fn in one database transaction carried by the ctx given to fn.
type Tx interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// Savepoint runs fn inside the transaction open in ctx under a
	// savepoint, so a failure undoes fn's writes alone; without an open
	// transaction it is InTx.
	Savepoint(ctx context.Context, fn func(ctx context.Context) error) error
}

// PageQuery is a validated page request.
type PageQuery struct {
	Limit int
	After *Cursor
	// Sort SortUpdatedAt orders ascending by (updated_at, id) instead of
	// the listing's own order; UpdatedSince keeps rows with updated_at at
	// or after it. Only the syncable listings read them.
	Sort         Sort
	UpdatedSince *time.Time
}

// WorkspaceStore persists workspaces.
type WorkspaceStore interface {
	// CreateWorkspace is unscoped: it creates a new tenant.
	CreateWorkspace(ctx context.Context, w *Workspace) error
	FindWorkspace(ctx context.Context) (*Workspace, error)
	UpdateWorkspace(ctx context.Context, w *Workspace) error
}

// UserStore persists users and their queue memberships.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	FindUser(ctx context.Context, id string) (*User, error)
	FindUsersByIDs(ctx context.Context, ids []string) ([]*User, error)
	FindUsers(ctx context.Context, f UserFilter, pq PageQuery) (Page[*User], error)
	// UpdateUser writes every field, including QueueIDs.
	UpdateUser(ctx context.Context, u *User) error
}

// QueueStore persists queues.
type QueueStore interface {
	CreateQueue(ctx context.Context, q *Queue) error
	FindQueue(ctx context.Context, id string) (*Queue, error)
	FindQueues(ctx context.Context) ([]*Queue, error)
	FindQueuesByIDs(ctx context.Context, ids []string) ([]*Queue, error)
	UpdateQueue(ctx context.Context, q *Queue) error
	// DeleteQueue fails with conflict while conversations reference the queue.
	DeleteQueue(ctx context.Context, id string) error
	AddQueueMember(ctx context.Context, queueID, userID string) error
	RemoveQueueMember(ctx context.Context, queueID, userID string) error
}

// TagStore persists tags.
type TagStore interface {
	CreateTag(ctx context.Context, t *Tag) error
	FindTag(ctx context.Context, id string) (*Tag, error)
	FindTags(ctx context.Context) ([]*Tag, error)
	FindTagsByIDs(ctx context.Context, ids []string) ([]*Tag, error)
	UpdateTag(ctx context.Context, t *Tag) error
	// DeleteTag also removes the tag from conversations and contacts, and
	// moves their updated_at to at (a conversation's version too).
	DeleteTag(ctx context.Context, id string, at time.Time) error
}

// ChannelStore persists WhatsApp numbers.
type ChannelStore interface {
	// CreateChannel fails with conflict when the phone_number_id is already
	// registered, in any workspace: one number routes to one workspace. It
	// and UpdateChannel also refuse a second official number in a workspace
	// (callers demote the first under LockOfficialChannel).
	CreateChannel(ctx context.Context, c *Channel) error
	FindChannel(ctx context.Context, id string) (*Channel, error)
	FindChannels(ctx context.Context) ([]*Channel, error)
	FindChannelsByIDs(ctx context.Context, ids []string) ([]*Channel, error)
	UpdateChannel(ctx context.Context, c *Channel) error
	DeleteChannel(ctx context.Context, id string) error
	// LockOfficialChannel returns the workspace's official number (nil
	// when none) and, inside a transaction, keeps any other transaction
	// from changing which number is official until this one ends.
	LockOfficialChannel(ctx context.Context) (*Channel, error)
}

// ContactStore persists contacts and their tags.
type ContactStore interface {
	// CreateContact fails with conflict when wa_id is taken in the workspace.
	CreateContact(ctx context.Context, c *Contact) error
	FindContact(ctx context.Context, id string) (*Contact, error)
	FindContactsByIDs(ctx context.Context, ids []string) ([]*Contact, error)
	// FindContacts orders by creation, newest first.
	FindContacts(ctx context.Context, f ContactFilter, pq PageQuery) (Page[*Contact], error)
	UpdateContact(ctx context.Context, c *Contact) error
	// TouchContact sets only updated_at, for changes kept in other tables
	// (its tags), so a concurrent edit of its fields is not overwritten.
	TouchContact(ctx context.Context, id string, at time.Time) error
	AddContactTag(ctx context.Context, contactID, tagID string) error
	RemoveContactTag(ctx context.Context, contactID, tagID string) error
	// The CRM bridge: lookups of live contacts by the keys an upsert
	// matches on (each unique among live contacts), external refs, soft
	// delete and merge.
	FindContactByEmail(ctx context.Context, email string) (*Contact, error)
	FindContactByExternalRef(ctx context.Context, ref ExternalRef) (*Contact, error)
	// AddContactExternalRefs: conflict (with ExistingID) when another
	// contact holds one of them.
	AddContactExternalRefs(ctx context.Context, contactID string, refs []ExternalRef, at time.Time) error
	DeleteContact(ctx context.Context, id string, at time.Time) error
	MergeContacts(ctx context.Context, survivorID, mergedID string, at time.Time) error
	// FindMergedSurvivor: the contact a merged contact with this wa_id
	// (else BSUID) was merged into; not_found when none.
	FindMergedSurvivor(ctx context.Context, waID, userID string) (string, error)
}

// ConversationStore persists conversations and their tags.
type ConversationStore interface {
	CreateConversation(ctx context.Context, c *Conversation) error
	FindConversation(ctx context.Context, id string) (*Conversation, error)
	// FindConversations orders by last activity, newest first (then id), and
	// returns only what vis allows.
	FindConversations(ctx context.Context, f ConversationFilter, vis Visibility, pq PageQuery) (Page[*Conversation], error)
	// UpdateConversation writes c only if the stored version is still
	// c.Version-1 (the caller increments it); otherwise it returns conflict.
	UpdateConversation(ctx context.Context, c *Conversation) error
	// AddConversationTag and RemoveConversationTag are idempotent.
	AddConversationTag(ctx context.Context, conversationID, tagID string) error
	RemoveConversationTag(ctx context.Context, conversationID, tagID string) error
	TagIDsByConversationIDs(ctx context.Context, ids []string) (map[string][]string, error)
}

// MessageStore persists messages.
type MessageStore interface {
	CreateMessage(ctx context.Context, m *Message) error
	FindMessage(ctx context.Context, id string) (*Message, error)
	// FindMessages orders newest first.
	FindMessages(ctx context.Context, conversationID string, pq PageQuery) (Page[*Message], error)
	LastMessagesByConversationIDs(ctx context.Context, ids []string) (map[string]*Message, error)
	FindMessagesByIDs(ctx context.Context, ids []string) ([]*Message, error)
}

// TaskFilter narrows a task listing.
type TaskFilter struct {
	ConversationID string
	ContactID      string
	AssigneeID     string
	Done           *bool
	// Visibility is set by the domain: tasks on conversations the caller
	// may not see are left out; tasks on contacts only are always visible.
	Visibility Visibility
}

// NoteStore persists notes and tasks.
type NoteStore interface {
	CreateNote(ctx context.Context, n *Note) error
	FindNote(ctx context.Context, id string) (*Note, error)
	// FindNotes orders oldest first.
	FindNotes(ctx context.Context, conversationID string, pq PageQuery) (Page[*Note], error)
	CreateTask(ctx context.Context, t *Task) error
	FindTask(ctx context.Context, id string) (*Task, error)
	// FindTasks orders by creation, oldest first.
	FindTasks(ctx context.Context, f TaskFilter, pq PageQuery) (Page[*Task], error)
	UpdateTask(ctx context.Context, t *Task) error
}

// APIKeyStore persists API keys.
type APIKeyStore interface {
	CreateAPIKey(ctx context.Context, k *APIKey) error
	FindAPIKey(ctx context.Context, id string) (*APIKey, error)
	FindAPIKeys(ctx context.Context) ([]*APIKey, error)
	UpdateAPIKey(ctx context.Context, k *APIKey) error
}

// EventStore records domain events in the caller's transaction and reads
// them back in commit order.
type EventStore interface {
	AppendEvent(ctx context.Context, e *Event) error
	// ListEventsAfter returns up to q.Limit events of the principal's
	// workspace positioned after q.After, in commit order: an event whose
	// transaction commits later than a read never appears behind a
	// position that read returned, so a reader resuming from its last
	// position misses nothing.
	ListEventsAfter(ctx context.Context, q EventFeedQuery) ([]*Event, error)
	// ListAuditEvents returns up to q.Limit events of the principal's
	// workspace matching q, newest first by (created_at, id), strictly
	// before q.Before when it is set.
	ListAuditEvents(ctx context.Context, q AuditQuery) ([]*Event, error)
	// PruneExpiredEvents deletes, in each workspace, up to batch events
	// older than now minus the workspace's retention, and says how many.
	PruneExpiredEvents(ctx context.Context, now time.Time, batch int) (int64, error)
}

// AuthStore holds the few lookups that happen before a workspace is known.
// They are unscoped by nature and used only to authenticate.
type AuthStore interface {
	FindActiveUsersByEmail(ctx context.Context, email string) ([]*User, error)
	FindUserForAuth(ctx context.Context, workspaceID, userID string) (*User, error)
	FindAPIKeyByHash(ctx context.Context, secretHash string) (*APIKey, error)
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
	CreateSession(ctx context.Context, s *Session) error
	FindSessionByHash(ctx context.Context, tokenHash string) (*Session, error)
	FindSessionByID(ctx context.Context, id string) (*Session, error)
	// MarkSessionUsed sets used_at only if it is still unset and reports
	// whether it did, so two concurrent refreshes cannot both win.
	MarkSessionUsed(ctx context.Context, id string, at time.Time) (bool, error)
	RevokeSessionFamily(ctx context.Context, familyID string, at time.Time) error
	RevokeUserSessions(ctx context.Context, userID string, at time.Time) error
}

// Store is everything the domain needs from persistence.
type Store interface {
	Tx
	WorkspaceStore
	UserStore
	QueueStore
	BusinessHoursStore
	SLAPolicyStore
	WelcomeBotStore
	RoutingRuleStore
	TagStore
	ChannelStore
	ContactStore
	ConversationStore
	MessageStore
	NoteStore
	APIKeyStore
	EventStore
	AuthStore
	InboundStore
	OutboxStore
	TimerStore
	SendAttemptStore
	MediaStore
	ReadStore
	CloseReasonStore
	LifecycleStore
	TimelineStore
	BoardStore
	AssignmentStore
	RateCounterStore
	WebhookStore
}

// PasswordHasher hashes and checks passwords (argon2id in production).
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches hash in constant time.
	Verify(hash, password string) bool
}
