package domain

import (
	"context"
	"strings"
	"time"
)

// Queues lists every queue of the workspace (every role may read them).
func (s *Service) Queues(ctx context.Context) ([]*Queue, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindQueues(ctx)
}

// Queue returns one queue. Errors: not_found.
func (s *Service) Queue(ctx context.Context, id string) (*Queue, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixQueue, id) {
		return nil, NotFound("queue")
	}
	return s.store.FindQueue(ctx, id)
}

// QueuesByIDs loads queues for batching; missing ids are skipped.
func (s *Service) QueuesByIDs(ctx context.Context, ids []string) ([]*Queue, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindQueuesByIDs(ctx, ids)
}

// CreateQueue adds a queue (admins). Errors: forbidden, invalid, conflict.
func (s *Service) CreateQueue(ctx context.Context, in QueueInput) (*Queue, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	q := &Queue{ID: NewID(PrefixQueue), WorkspaceID: p.WorkspaceID, CreatedAt: now, UpdatedAt: now,
		AssignmentMode: AssignmentManual}
	if in.Name == nil {
		return nil, FieldError("name", "name is required")
	}
	if err := applyQueueInput(q, in); err != nil {
		return nil, err
	}
	if err := s.applyQueueRules(ctx, q, in); err != nil {
		return nil, err
	}
	return q, s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateQueue(ctx, q) },
		EventQueueCreated, q.ID, map[string]any{"queue_id": q.ID})
}

// UpdateQueue renames or describes a queue (admins).
func (s *Service) UpdateQueue(ctx context.Context, id string, in QueueInput) (*Queue, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	q, err := s.Queue(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := applyQueueInput(q, in); err != nil {
		return nil, err
	}
	if err := s.applyQueueRules(ctx, q, in); err != nil {
		return nil, err
	}
	q.UpdatedAt = s.now()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.lockAssignment(ctx); err != nil {
			return err
		}
		if err := s.store.UpdateQueue(ctx, q); err != nil {
			return err
		}
		if err := s.record(ctx, EventQueueUpdated, q.ID, map[string]any{"queue_id": q.ID, "fields": givenFields(in)}); err != nil {
			return err
		}
		// A queue turned automatic hands out what was waiting in it.
		return s.assignWaiting(ctx, []string{q.ID})
	})
	return q, err
}

func applyQueueInput(q *Queue, in QueueInput) error {
	var err error
	if in.Name != nil {
		if q.Name, err = validateName("name", *in.Name, 80); err != nil {
			return err
		}
	}
	if in.Description != nil {
		q.Description = strings.TrimSpace(*in.Description)
		if len([]rune(q.Description)) > 500 {
			return FieldError("description", "description must have at most 500 characters")
		}
	}
	if in.AssignmentMode != nil {
		if !in.AssignmentMode.Valid() {
			return FieldError("assignment_mode", "assignment_mode must be manual, round_robin or least_busy")
		}
		q.AssignmentMode = *in.AssignmentMode
	}
	return nil
}

// DeleteQueue removes a queue no conversation uses (admins).
// Errors: forbidden, not_found, conflict.
func (s *Service) DeleteQueue(ctx context.Context, id string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if _, err := s.Queue(ctx, id); err != nil {
		return err
	}
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.DeleteQueue(ctx, id) },
		EventQueueDeleted, id, map[string]any{"queue_id": id})
}

// SetQueueMember adds or removes a user from a queue (admins).
func (s *Service) SetQueueMember(ctx context.Context, queueID, userID string, member bool) (*Queue, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if _, err := s.Queue(ctx, queueID); err != nil {
		return nil, err
	}
	if _, err := s.User(ctx, userID); err != nil {
		return nil, err
	}
	if member {
		err := s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.lockAssignment(ctx); err != nil {
				return err
			}
			if err := s.store.AddQueueMember(ctx, queueID, userID); err != nil {
				return err
			}
			if err := s.record(ctx, EventQueueMemberAdded, queueID, map[string]any{"queue_id": queueID, "user_id": userID}); err != nil {
				return err
			}
			// A new member with room takes what waits there.
			return s.capacityFreed(ctx, userID)
		})
		if err != nil {
			return nil, err
		}
	} else if err := s.recorded(ctx, func(ctx context.Context) error { return s.store.RemoveQueueMember(ctx, queueID, userID) },
		EventQueueMemberRemoved, queueID, map[string]any{"queue_id": queueID, "user_id": userID}); err != nil {
		return nil, err
	}
	return s.store.FindQueue(ctx, queueID)
}

// Tags lists every tag of the workspace.
func (s *Service) Tags(ctx context.Context) ([]*Tag, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindTags(ctx)
}

// Tag returns one tag. Errors: not_found.
func (s *Service) Tag(ctx context.Context, id string) (*Tag, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixTag, id) {
		return nil, NotFound("tag")
	}
	return s.store.FindTag(ctx, id)
}

// TagsByIDs loads tags for batching; missing ids are skipped.
func (s *Service) TagsByIDs(ctx context.Context, ids []string) ([]*Tag, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindTagsByIDs(ctx, ids)
}

// CreateTag adds a tag (admins). Errors: forbidden, invalid, conflict (name taken).
func (s *Service) CreateTag(ctx context.Context, in TagInput) (*Tag, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, FieldError("name", "name is required")
	}
	now := s.now()
	t := &Tag{ID: NewID(PrefixTag), WorkspaceID: p.WorkspaceID, CreatedAt: now, UpdatedAt: now}
	if err := applyTagInput(t, in); err != nil {
		return nil, err
	}
	return t, s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateTag(ctx, t) },
		EventTagCreated, t.ID, map[string]any{"tag_id": t.ID})
}

// UpdateTag renames or recolours a tag (admins).
func (s *Service) UpdateTag(ctx context.Context, id string, in TagInput) (*Tag, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	t, err := s.Tag(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := applyTagInput(t, in); err != nil {
		return nil, err
	}
	t.UpdatedAt = s.now()
	return t, s.recorded(ctx, func(ctx context.Context) error { return s.store.UpdateTag(ctx, t) },
		EventTagUpdated, t.ID, map[string]any{"tag_id": t.ID, "fields": givenFields(in)})
}

func applyTagInput(t *Tag, in TagInput) error {
	var err error
	if in.Name != nil {
		if t.Name, err = validateName("name", *in.Name, 50); err != nil {
			return err
		}
	}
	if in.Color != nil {
		if err := validateColor(*in.Color); err != nil {
			return err
		}
		t.Color = strings.ToLower(*in.Color)
	}
	return nil
}

// DeleteTag removes a tag everywhere (admins).
func (s *Service) DeleteTag(ctx context.Context, id string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if _, err := s.Tag(ctx, id); err != nil {
		return err
	}
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.DeleteTag(ctx, id, s.now()) },
		EventTagDeleted, id, map[string]any{"tag_id": id})
}

// Channels lists the workspace's WhatsApp numbers.
func (s *Service) Channels(ctx context.Context) ([]*Channel, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindChannels(ctx)
}

// Channel returns one number. Errors: not_found.
func (s *Service) Channel(ctx context.Context, id string) (*Channel, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixChannel, id) {
		return nil, NotFound("channel")
	}
	return s.store.FindChannel(ctx, id)
}

// ChannelsByIDs loads channels for batching; missing ids are skipped.
func (s *Service) ChannelsByIDs(ctx context.Context, ids []string) ([]*Channel, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.FindChannelsByIDs(ctx, ids)
}

// CreateChannel registers a number (admins). A workspace has one official
// number: registering one as official makes the previous official number
// a redirect number in the same transaction (the switch to a new number is
// one call, and the old number points customers to the new one at once).
// Without a mode, the workspace's first number is official and later ones
// are redirect numbers: demoting the official number is never implicit.
// Errors: forbidden, invalid, conflict (phone_number_id already registered).
func (s *Service) CreateChannel(ctx context.Context, in ChannelInput) (*Channel, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &Channel{ID: NewID(PrefixChannel), WorkspaceID: p.WorkspaceID, CreatedAt: now, UpdatedAt: now}
	applyChannelInput(c, in)
	if err := c.validate(); err != nil {
		return nil, err
	}
	if err := s.sealChannelSecrets(c, in); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.requireQueue(ctx, "default_queue_id", c.DefaultQueueID); err != nil {
			return err
		}
		official, err := s.store.LockOfficialChannel(ctx)
		if err != nil {
			return err
		}
		if in.Mode == nil && official != nil {
			c.Mode = ChannelModeRedirect
		}
		if err := s.demoteOfficial(ctx, c, official); err != nil {
			return err
		}
		if err := s.store.CreateChannel(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, EventChannelCreated, c.ID, map[string]any{"channel_id": c.ID, "mode": string(c.Mode)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateChannel changes a number's settings (admins). Making a number
// official demotes the previous official one to redirect, as on create;
// making the official number redirect leaves the workspace without one.
// Errors: forbidden, not_found, invalid, conflict.
func (s *Service) UpdateChannel(ctx context.Context, id string, in ChannelInput) (*Channel, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var c *Channel
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		official, err := s.store.LockOfficialChannel(ctx)
		if err != nil {
			return err
		}
		if c, err = s.Channel(ctx, id); err != nil {
			return err
		}
		applyChannelInput(c, in)
		if err := c.validate(); err != nil {
			return err
		}
		if err := s.sealChannelSecrets(c, in); err != nil {
			return err
		}
		if err := s.requireQueue(ctx, "default_queue_id", c.DefaultQueueID); err != nil {
			return err
		}
		if err := s.demoteOfficial(ctx, c, official); err != nil {
			return err
		}
		c.UpdatedAt = s.now()
		if err := s.store.UpdateChannel(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, EventChannelUpdated, c.ID, map[string]any{"channel_id": c.ID, "fields": givenFields(in)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// demoteOfficial turns the workspace's official number into a redirect
// number when c is about to take its place. official comes from
// LockOfficialChannel in the same transaction.
func (s *Service) demoteOfficial(ctx context.Context, c, official *Channel) error {
	if c.Mode != ChannelModeOfficial || official == nil || official.ID == c.ID {
		return nil
	}
	official.Mode, official.UpdatedAt = ChannelModeRedirect, s.now()
	return s.store.UpdateChannel(ctx, official)
}

// sealChannelSecrets encrypts the credentials given in in onto c.
func (s *Service) sealChannelSecrets(c *Channel, in ChannelInput) error {
	for _, f := range []struct {
		field string
		plain *string
		dst   *string
	}{{"access_token", in.AccessToken, &c.AccessTokenSealed}, {"app_secret", in.AppSecret, &c.AppSecretSealed}} {
		if f.plain == nil {
			continue
		}
		if *f.plain == "" {
			*f.dst = ""
			continue
		}
		if len(*f.plain) > 1024 || strings.TrimSpace(*f.plain) != *f.plain {
			return FieldError(f.field, "%s must be the value Meta shows, without spaces", f.field)
		}
		if s.opts.Sealer == nil {
			return Errorf(CodeUnavailable, "credentials cannot be stored: the server has no secret key configured")
		}
		sealed, err := s.opts.Sealer.Seal(*f.plain)
		if err != nil {
			return err
		}
		*f.dst = sealed
	}
	return nil
}

// ChannelCredentials decrypts a channel's access token and app secret for
// the system's own use (sending, verifying webhooks); never for an API.
func (s *Service) ChannelCredentials(ctx context.Context, c *Channel) (accessToken, appSecret string, err error) {
	p, err := principal(ctx)
	if err != nil {
		return "", "", err
	}
	if !p.System {
		return "", "", Errorf(CodeForbidden, "credentials are for the system only")
	}
	open := func(sealed string) (string, error) {
		if sealed == "" || s.opts.Sealer == nil {
			return "", nil
		}
		return s.opts.Sealer.Open(sealed)
	}
	if accessToken, err = open(c.AccessTokenSealed); err != nil {
		return "", "", err
	}
	appSecret, err = open(c.AppSecretSealed)
	return accessToken, appSecret, err
}

func applyChannelInput(c *Channel, in ChannelInput) {
	setIf(&c.Name, in.Name)
	setIf(&c.PhoneNumberID, in.PhoneNumberID)
	setIf(&c.WABAID, in.WABAID)
	setIf(&c.DisplayPhoneNumber, in.DisplayPhoneNumber)
	setIf(&c.Mode, in.Mode)
	setIf(&c.RedirectText, in.RedirectText)
	setIf(&c.DefaultQueueID, in.DefaultQueueID)
	if in.RedirectEveryHours != nil {
		c.RedirectEvery = time.Duration(*in.RedirectEveryHours) * time.Hour
	}
	if in.RedirectUntil != nil {
		until := in.RedirectUntil.UTC()
		c.RedirectUntil = &until
	}
}

// DeleteChannel removes a number that no conversation uses (admins); a
// number with history is kept so the history stays attributable.
// Errors: forbidden, not_found, conflict.
func (s *Service) DeleteChannel(ctx context.Context, id string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if _, err := s.Channel(ctx, id); err != nil {
		return err
	}
	return s.recorded(ctx, func(ctx context.Context) error { return s.store.DeleteChannel(ctx, id) },
		EventChannelDeleted, id, map[string]any{"channel_id": id})
}

// APIKeys lists the workspace's keys (admins); secrets are never returned.
func (s *Service) APIKeys(ctx context.Context) ([]*APIKey, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.FindAPIKeys(ctx)
}

// CreateAPIKey mints a key whose secret is returned once (admins). A key
// cannot grant more than its creator holds.
// Errors: forbidden, invalid.
func (s *Service) CreateAPIKey(ctx context.Context, in NewAPIKey) (*CreatedAPIKey, error) {
	p, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	name, err := validateName("name", in.Name, 80)
	if err != nil {
		return nil, err
	}
	if in.Role == "" {
		in.Role = RoleAdmin
	}
	if !in.Role.Valid() {
		return nil, FieldError("role", "role must be owner, admin, supervisor or agent")
	}
	if !p.Role.AtLeast(in.Role) {
		return nil, Errorf(CodeForbidden, "a key cannot have a higher role than its creator")
	}
	now := s.now()
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		return nil, FieldError("expires_at", "expires_at must be in the future")
	}
	secret := randomToken("ck_")
	k := APIKey{ID: NewID(PrefixAPIKey), WorkspaceID: p.WorkspaceID, Name: name, Role: in.Role,
		Prefix: secret[:11], SecretHash: HashToken(secret), CreatedBy: p.UserID,
		ExpiresAt: in.ExpiresAt, CreatedAt: now}
	err = s.recorded(ctx, func(ctx context.Context) error { return s.store.CreateAPIKey(ctx, &k) },
		EventAPIKeyCreated, k.ID, map[string]any{"api_key_id": k.ID, "name": k.Name, "role": string(k.Role)})
	if err != nil {
		return nil, err
	}
	return &CreatedAPIKey{Key: k, Secret: secret}, nil
}

// RevokeAPIKey disables a key at once (admins). Revoking twice is a no-op.
// Errors: forbidden, not_found.
func (s *Service) RevokeAPIKey(ctx context.Context, id string) (*APIKey, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixAPIKey, id) {
		return nil, NotFound("API key")
	}
	k, err := s.store.FindAPIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if k.RevokedAt == nil {
		now := s.now()
		k.RevokedAt = &now
		err := s.recorded(ctx, func(ctx context.Context) error { return s.store.UpdateAPIKey(ctx, k) },
			EventAPIKeyRevoked, k.ID, map[string]any{"api_key_id": k.ID, "name": k.Name})
		if err != nil {
			return nil, err
		}
	}
	return k, nil
}
