package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm/clause"
)

// CreateContact inserts a contact; wa_id is unique per workspace when set.
func (s *Store) CreateContact(ctx context.Context, c *domain.Contact) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&c.WorkspaceID, ws); err != nil {
		return err
	}
	row := contactFromDomain(c)
	return writeError(db.Create(&row).Error, "contact")
}

// FindContact returns a contact with its TagIDs and external refs, deleted
// or merged ones too (the domain tells them apart).
func (s *Store) FindContact(ctx context.Context, id string) (*domain.Contact, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row contactRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "contact")
	}
	contacts := []*domain.Contact{row.toDomain()}
	return contacts[0], s.loadContactTags(ctx, ws, contacts)
}

// FindContactsByIDs loads contacts for batching: one query for the
// contacts, one for their tags; missing ids are skipped.
func (s *Store) FindContactsByIDs(ctx context.Context, ids []string) ([]*domain.Contact, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return []*domain.Contact{}, nil
	}
	var rows []contactRow
	// Deleted contacts too: their conversations are kept and show them.
	if err := db.Where("workspace_id = ? AND id IN ?", ws, ids).Find(&rows).Error; err != nil {
		return nil, writeError(err, "contact")
	}
	contacts := make([]*domain.Contact, len(rows))
	for i := range rows {
		contacts[i] = rows[i].toDomain()
	}
	return contacts, s.loadContactTags(ctx, ws, contacts)
}

// contactListing is the contact listing's order: newest first.
var contactListing = listing{alias: "ct.", timeCol: "created_at", desc: true}

// FindContacts lists contacts newest first (or by updated_at for a sync). Text matches name, email, wa_id
// or phone as a case-insensitive substring (ASCII only on SQLite).
func (s *Store) FindContacts(ctx context.Context, f domain.ContactFilter, pq domain.PageQuery) (domain.Page[*domain.Contact], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.Contact]{}, err
	}
	q := db.Table("contacts AS ct").Select("ct.*").Where("ct.workspace_id = ? AND ct.deleted_at IS NULL", ws)
	q = s.crmFilters(q, f)
	if f.TagID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM contact_tags x WHERE x.contact_id = ct.id AND x.workspace_id = ct.workspace_id AND x.tag_id = ?)", f.TagID)
	}
	if f.MovedFromChannelID != "" {
		// Wrote to the legacy number, and has written to an official one.
		q = q.Where("EXISTS (SELECT 1 FROM conversations lc WHERE lc.workspace_id = ct.workspace_id AND lc.contact_id = ct.id AND lc.channel_id = ?)", f.MovedFromChannelID).
			Where("EXISTS (SELECT 1 FROM messages m JOIN channels oc ON oc.id = m.channel_id WHERE m.workspace_id = ct.workspace_id AND m.author_id = ct.id AND m.direction = ? AND oc.mode = ?)",
				string(domain.DirectionInbound), string(domain.ChannelModeOfficial))
	}
	if f.Text != "" {
		like, pattern := s.likeOp(), containsPattern(f.Text)
		q = q.Where("(ct.name "+like+" ? ESCAPE '\\' OR ct.email "+like+" ? ESCAPE '\\' OR ct.wa_id "+like+
			" ? ESCAPE '\\' OR ct.phone_e164 "+like+" ? ESCAPE '\\' OR (ct.phone_e164 = ? AND ? <> ''))",
			pattern, pattern, pattern, pattern, f.TextPhone, f.TextPhone)
	}
	var rows []contactRow
	if err := contactListing.page(q, pq).Find(&rows).Error; err != nil {
		return domain.Page[*domain.Contact]{}, writeError(err, "contact")
	}
	p := makePage(rows, pq, (*contactRow).toDomain, pageKey(pq, (*domain.Contact).PageKey,
		func(c *domain.Contact) (time.Time, string) { return c.UpdatedAt, c.ID }))
	return p, s.loadContactTags(ctx, ws, p.Items)
}

// likeOp is the case-insensitive LIKE of the dialect. SQLite's LIKE folds
// ASCII case only; Postgres' ILIKE folds every letter.
func (s *Store) likeOp() string {
	if s.dialect == DialectPostgres {
		return "ILIKE"
	}
	return "LIKE"
}

// loadContactTags fills TagIDs and ExternalRefs of contacts with one
// query (both lists in one UNION, so a batch load stays two statements).
func (s *Store) loadContactTags(ctx context.Context, ws string, contacts []*domain.Contact) error {
	if len(contacts) == 0 {
		return nil
	}
	byID := make(map[string]*domain.Contact, len(contacts))
	ids := make([]string, len(contacts))
	for i, c := range contacts {
		byID[c.ID], ids[i] = c, c.ID
		c.ExternalRefs = []domain.ExternalRef{}
	}
	var links []struct {
		ContactID string `gorm:"column:contact_id"`
		Kind      string `gorm:"column:kind"`
		A         string `gorm:"column:a"`
		B         string `gorm:"column:b"`
	}
	err := s.conn(ctx).Raw(`SELECT contact_id, CAST('tag' AS text) AS kind, tag_id AS a, CAST('' AS text) AS b
		FROM contact_tags WHERE workspace_id = ? AND contact_id IN ?
		UNION ALL SELECT contact_id, CAST('ref' AS text), system, external_id
		FROM contact_external_refs WHERE workspace_id = ? AND contact_id IN ?
		ORDER BY 2, 3, 4`, ws, ids, ws, ids).Scan(&links).Error
	if err != nil {
		return writeError(err, "contact tag")
	}
	for _, l := range links {
		c := byID[l.ContactID]
		if l.Kind == "tag" {
			c.TagIDs = append(c.TagIDs, l.A)
		} else {
			c.ExternalRefs = append(c.ExternalRefs, domain.ExternalRef{System: l.A, ID: l.B})
		}
	}
	return nil
}

// UpdateContact writes every field of a contact except its tags.
func (s *Store) UpdateContact(ctx context.Context, c *domain.Contact) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := contactFromDomain(c)
	res := db.Table("contacts").Where("id = ? AND workspace_id = ? AND deleted_at IS NULL", row.ID, ws).Updates(map[string]any{
		"wa_id": row.WaID, "user_id": row.UserID, "phone_e164": row.PhoneE164, "name": row.Name, "email": row.Email,
		"custom_attributes": row.CustomAttributes, "updated_at": row.UpdatedAt, "lead_source": row.LeadSource,
	})
	return updated(res, "contact")
}

// TouchContact moves a contact's updated_at and nothing else.
func (s *Store) TouchContact(ctx context.Context, id string, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Table("contacts").Where("id = ? AND workspace_id = ?", id, ws).Update("updated_at", storedTime(&at))
	return updated(res, "contact")
}

// AddContactTag tags a contact; tagging twice is a no-op. The composite
// foreign keys refuse a contact or tag of another workspace.
func (s *Store) AddContactTag(ctx context.Context, contactID, tagID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := contactTagRow{WorkspaceID: ws, ContactID: contactID, TagID: tagID}
	return writeError(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error, "contact tag")
}

// RemoveContactTag untags a contact; removing a missing tag is a no-op.
func (s *Store) RemoveContactTag(ctx context.Context, contactID, tagID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	err = db.Where("workspace_id = ? AND contact_id = ? AND tag_id = ?", ws, contactID, tagID).Delete(&contactTagRow{}).Error
	return deleteError(err, "contact tag")
}
