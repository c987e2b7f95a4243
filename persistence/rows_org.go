package persistence

import (
	"time"

	"github.com/centralita/centralita/domain"
)

// Row structs mirror the tables and never leave this package; the
// to/from converters are the only place that knows both shapes. Time fields
// carry autoCreateTime/autoUpdateTime:false because the domain's clock, not
// gorm's, decides every instant.

type workspaceRow struct {
	ID        string  `gorm:"column:id;primaryKey"`
	PartnerID *string `gorm:"column:partner_id"`
	Name      string  `gorm:"column:name"`
	Timezone  string  `gorm:"column:timezone"`
	Locale    string  `gorm:"column:locale"`
	// DefaultQueueID is NULL only between creating a workspace and its
	// default queue, which reference each other.
	DefaultQueueID *string `gorm:"column:default_queue_id"`
	CreatedAt      utcTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      utcTime `gorm:"column:updated_at;autoUpdateTime:false"`
	// Lifecycle settings, durations in seconds.
	PendingAfterReply       bool   `gorm:"column:pending_after_reply"`
	ReopenWindowSeconds     int64  `gorm:"column:reopen_window_seconds"`
	AutoClosePendingSeconds int64  `gorm:"column:auto_close_pending_seconds"`
	OfflineGraceMinutes     int    `gorm:"column:offline_grace_minutes"`
	EventRetentionDays      int    `gorm:"column:event_retention_days"`
	DefaultCountry          string `gorm:"column:default_country"`
}

func (workspaceRow) TableName() string { return "workspaces" }

func workspaceFromDomain(w *domain.Workspace) workspaceRow {
	return workspaceRow{ID: w.ID, PartnerID: nullable(w.PartnerID), Name: w.Name, Timezone: w.Timezone,
		Locale: w.Locale, DefaultQueueID: nullable(w.DefaultQueueID),
		CreatedAt: storedTime(&w.CreatedAt), UpdatedAt: storedTime(&w.UpdatedAt),
		PendingAfterReply:       w.Lifecycle.PendingAfterReply,
		ReopenWindowSeconds:     int64(w.Lifecycle.ReopenWindow / time.Second),
		AutoClosePendingSeconds: int64(w.Lifecycle.AutoClosePending / time.Second),
		OfflineGraceMinutes:     w.OfflineGraceMinutes, EventRetentionDays: w.EventRetentionDays, DefaultCountry: w.DefaultCountry}
}

func (r *workspaceRow) toDomain() *domain.Workspace {
	return &domain.Workspace{ID: r.ID, PartnerID: str(r.PartnerID), Name: r.Name, Timezone: r.Timezone,
		Locale: r.Locale, DefaultQueueID: str(r.DefaultQueueID), CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
		Lifecycle: domain.LifecycleSettings{PendingAfterReply: r.PendingAfterReply,
			ReopenWindow:     time.Duration(r.ReopenWindowSeconds) * time.Second,
			AutoClosePending: time.Duration(r.AutoClosePendingSeconds) * time.Second},
		OfflineGraceMinutes: r.OfflineGraceMinutes, EventRetentionDays: r.EventRetentionDays, DefaultCountry: r.DefaultCountry}
}

type userRow struct {
	ID           string  `gorm:"column:id;primaryKey"`
	WorkspaceID  string  `gorm:"column:workspace_id"`
	Email        string  `gorm:"column:email"`
	Name         string  `gorm:"column:name"`
	Role         string  `gorm:"column:role"`
	Availability string  `gorm:"column:availability"`
	Capacity     int     `gorm:"column:capacity"`
	Active       bool    `gorm:"column:active"`
	PasswordHash string  `gorm:"column:password_hash"`
	TokenVersion int     `gorm:"column:token_version"`
	CreatedAt    utcTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt    utcTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (userRow) TableName() string { return "users" }

func userFromDomain(u *domain.User) userRow {
	return userRow{ID: u.ID, WorkspaceID: u.WorkspaceID, Email: u.Email, Name: u.Name, Role: string(u.Role),
		Availability: string(u.Availability), Capacity: u.Capacity, Active: u.Active,
		PasswordHash: u.PasswordHash, TokenVersion: u.TokenVersion,
		CreatedAt: storedTime(&u.CreatedAt), UpdatedAt: storedTime(&u.UpdatedAt)}
}

func (r *userRow) toDomain() *domain.User {
	return &domain.User{ID: r.ID, WorkspaceID: r.WorkspaceID, Email: r.Email, Name: r.Name,
		Role: domain.Role(r.Role), Availability: domain.Availability(r.Availability), Capacity: r.Capacity,
		Active: r.Active, PasswordHash: r.PasswordHash, TokenVersion: r.TokenVersion, QueueIDs: []string{},
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

type queueRow struct {
	ID          string `gorm:"column:id;primaryKey"`
	WorkspaceID string `gorm:"column:workspace_id"`
	Name        string `gorm:"column:name"`
	Description string `gorm:"column:description"`
	// BusinessHoursID is NULL for an always-open queue.
	BusinessHoursID *string `gorm:"column:business_hours_id"`
	CreatedAt       utcTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt       utcTime `gorm:"column:updated_at;autoUpdateTime:false"`
	AssignmentMode  string  `gorm:"column:assignment_mode"`
	SLAPolicyID     *string `gorm:"column:sla_policy_id"`
}

func (queueRow) TableName() string { return "queues" }

func queueFromDomain(q *domain.Queue) queueRow {
	return queueRow{ID: q.ID, WorkspaceID: q.WorkspaceID, Name: q.Name, Description: q.Description,
		BusinessHoursID: nullable(q.BusinessHoursID),
		CreatedAt:       storedTime(&q.CreatedAt), UpdatedAt: storedTime(&q.UpdatedAt),
		AssignmentMode: string(q.AssignmentMode), SLAPolicyID: nullable(q.SLAPolicyID)}
}

func (r *queueRow) toDomain() *domain.Queue {
	return &domain.Queue{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Description: r.Description,
		MemberIDs: []string{}, BusinessHoursID: str(r.BusinessHoursID),
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time, AssignmentMode: domain.AssignmentMode(r.AssignmentMode),
		SLAPolicyID: str(r.SLAPolicyID)}
}

// queueMemberRow links a user to a queue.
type queueMemberRow struct {
	WorkspaceID string `gorm:"column:workspace_id"`
	QueueID     string `gorm:"column:queue_id;primaryKey"`
	UserID      string `gorm:"column:user_id;primaryKey"`
}

func (queueMemberRow) TableName() string { return "queue_members" }

type tagRow struct {
	ID          string  `gorm:"column:id;primaryKey"`
	WorkspaceID string  `gorm:"column:workspace_id"`
	Name        string  `gorm:"column:name"`
	Color       string  `gorm:"column:color"`
	CreatedAt   utcTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   utcTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (tagRow) TableName() string { return "tags" }

func tagFromDomain(t *domain.Tag) tagRow {
	return tagRow{ID: t.ID, WorkspaceID: t.WorkspaceID, Name: t.Name, Color: t.Color,
		CreatedAt: storedTime(&t.CreatedAt), UpdatedAt: storedTime(&t.UpdatedAt)}
}

func (r *tagRow) toDomain() *domain.Tag {
	return &domain.Tag{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Color: r.Color,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

type channelRow struct {
	ID                 string   `gorm:"column:id;primaryKey"`
	WorkspaceID        string   `gorm:"column:workspace_id"`
	Name               string   `gorm:"column:name"`
	PhoneNumberID      string   `gorm:"column:phone_number_id"`
	WABAID             string   `gorm:"column:waba_id"`
	DisplayPhoneNumber string   `gorm:"column:display_phone_number"`
	Mode               string   `gorm:"column:mode"`
	AccessTokenSealed  string   `gorm:"column:access_token_sealed"`
	AppSecretSealed    string   `gorm:"column:app_secret_sealed"`
	RedirectText       string   `gorm:"column:redirect_text"`
	RedirectEverySecs  int64    `gorm:"column:redirect_every_seconds"`
	RedirectUntil      *utcTime `gorm:"column:redirect_until"`
	DefaultQueueID     *string  `gorm:"column:default_queue_id"`
	CreatedAt          utcTime  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt          utcTime  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (channelRow) TableName() string { return "channels" }

func channelFromDomain(c *domain.Channel) channelRow {
	return channelRow{ID: c.ID, WorkspaceID: c.WorkspaceID, Name: c.Name, PhoneNumberID: c.PhoneNumberID,
		WABAID: c.WABAID, DisplayPhoneNumber: c.DisplayPhoneNumber, Mode: string(c.Mode),
		AccessTokenSealed: c.AccessTokenSealed, AppSecretSealed: c.AppSecretSealed,
		RedirectText: c.RedirectText, RedirectEverySecs: int64(c.RedirectEvery / time.Second),
		RedirectUntil: storedTimePtr(c.RedirectUntil), DefaultQueueID: nullable(c.DefaultQueueID),
		CreatedAt: storedTime(&c.CreatedAt), UpdatedAt: storedTime(&c.UpdatedAt)}
}

func (r *channelRow) toDomain() *domain.Channel {
	return &domain.Channel{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, PhoneNumberID: r.PhoneNumberID,
		WABAID: r.WABAID, DisplayPhoneNumber: r.DisplayPhoneNumber, Mode: domain.ChannelMode(r.Mode),
		AccessTokenSealed: r.AccessTokenSealed, AppSecretSealed: r.AppSecretSealed,
		RedirectText: r.RedirectText, RedirectEvery: time.Duration(r.RedirectEverySecs) * time.Second,
		RedirectUntil: timePtr(r.RedirectUntil), DefaultQueueID: str(r.DefaultQueueID),
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

type apiKeyRow struct {
	ID          string   `gorm:"column:id;primaryKey"`
	WorkspaceID string   `gorm:"column:workspace_id"`
	Name        string   `gorm:"column:name"`
	Role        string   `gorm:"column:role"`
	Prefix      string   `gorm:"column:prefix"`
	SecretHash  string   `gorm:"column:secret_hash"`
	CreatedBy   string   `gorm:"column:created_by"`
	ExpiresAt   *utcTime `gorm:"column:expires_at"`
	RevokedAt   *utcTime `gorm:"column:revoked_at"`
	LastUsedAt  *utcTime `gorm:"column:last_used_at"`
	CreatedAt   utcTime  `gorm:"column:created_at;autoCreateTime:false"`
}

func (apiKeyRow) TableName() string { return "api_keys" }

func apiKeyFromDomain(k *domain.APIKey) apiKeyRow {
	return apiKeyRow{ID: k.ID, WorkspaceID: k.WorkspaceID, Name: k.Name, Role: string(k.Role), Prefix: k.Prefix,
		SecretHash: k.SecretHash, CreatedBy: k.CreatedBy, ExpiresAt: storedTimePtr(k.ExpiresAt),
		RevokedAt: storedTimePtr(k.RevokedAt), LastUsedAt: storedTimePtr(k.LastUsedAt),
		CreatedAt: storedTime(&k.CreatedAt)}
}

func (r *apiKeyRow) toDomain() *domain.APIKey {
	return &domain.APIKey{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Role: domain.Role(r.Role),
		Prefix: r.Prefix, SecretHash: r.SecretHash, CreatedBy: r.CreatedBy, ExpiresAt: timePtr(r.ExpiresAt),
		RevokedAt: timePtr(r.RevokedAt), LastUsedAt: timePtr(r.LastUsedAt), CreatedAt: r.CreatedAt.Time}
}

type sessionRow struct {
	ID          string   `gorm:"column:id;primaryKey"`
	WorkspaceID string   `gorm:"column:workspace_id"`
	UserID      string   `gorm:"column:user_id"`
	FamilyID    string   `gorm:"column:family_id"`
	TokenHash   string   `gorm:"column:token_hash"`
	ExpiresAt   utcTime  `gorm:"column:expires_at"`
	UsedAt      *utcTime `gorm:"column:used_at"`
	RevokedAt   *utcTime `gorm:"column:revoked_at"`
	CreatedAt   utcTime  `gorm:"column:created_at;autoCreateTime:false"`
}

func (sessionRow) TableName() string { return "sessions" }

func sessionFromDomain(s *domain.Session) sessionRow {
	return sessionRow{ID: s.ID, WorkspaceID: s.WorkspaceID, UserID: s.UserID, FamilyID: s.FamilyID,
		TokenHash: s.TokenHash, ExpiresAt: storedTime(&s.ExpiresAt), UsedAt: storedTimePtr(s.UsedAt),
		RevokedAt: storedTimePtr(s.RevokedAt), CreatedAt: storedTime(&s.CreatedAt)}
}

func (r *sessionRow) toDomain() *domain.Session {
	return &domain.Session{ID: r.ID, WorkspaceID: r.WorkspaceID, UserID: r.UserID, FamilyID: r.FamilyID,
		TokenHash: r.TokenHash, ExpiresAt: r.ExpiresAt.Time, UsedAt: timePtr(r.UsedAt),
		RevokedAt: timePtr(r.RevokedAt), CreatedAt: r.CreatedAt.Time}
}

type eventRow struct {
	ID          string     `gorm:"column:id;primaryKey"`
	WorkspaceID string     `gorm:"column:workspace_id"`
	Type        string     `gorm:"column:type"`
	ActorKind   string     `gorm:"column:actor_kind"`
	ActorID     string     `gorm:"column:actor_id"`
	SubjectID   string     `gorm:"column:subject_id"`
	Payload     jsonObject `gorm:"column:payload"`
	CreatedAt   utcTime    `gorm:"column:created_at;autoCreateTime:false"`
	// Tx and Seq are the feed position, set by the database's defaults.
	Tx  int64 `gorm:"column:tx;->"`
	Seq int64 `gorm:"column:seq;->"`
}

func (eventRow) TableName() string { return "events" }
