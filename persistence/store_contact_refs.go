package persistence

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/centralita/centralita/domain"
)

// contactExternalRefRow is one system's id for a contact.
type contactExternalRefRow struct {
	WorkspaceID string  `gorm:"column:workspace_id;primaryKey"`
	System      string  `gorm:"column:system;primaryKey"`
	ExternalID  string  `gorm:"column:external_id;primaryKey"`
	ContactID   string  `gorm:"column:contact_id"`
	CreatedAt   utcTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (contactExternalRefRow) TableName() string { return "contact_external_refs" }

// FindContactByPhone returns the live contact with that E.164 number.
func (s *Store) FindContactByPhone(ctx context.Context, e164 string) (*domain.Contact, error) {
	return s.findContactBy(ctx, "phone_e164", e164)
}

// FindContactByEmail returns the live contact with that (normalised) email.
func (s *Store) FindContactByEmail(ctx context.Context, email string) (*domain.Contact, error) {
	return s.findContactBy(ctx, "email", email)
}

// FindContactByExternalRef returns the live contact a system knows by id.
func (s *Store) FindContactByExternalRef(ctx context.Context, ref domain.ExternalRef) (*domain.Contact, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row contactRow
	err = db.Table("contacts AS ct").Select("ct.*").
		Joins("JOIN contact_external_refs r ON r.workspace_id = ct.workspace_id AND r.contact_id = ct.id").
		Where("ct.workspace_id = ? AND r.system = ? AND r.external_id = ? AND ct.deleted_at IS NULL", ws, ref.System, ref.ID).
		Take(&row).Error
	if err != nil {
		return nil, writeError(err, "contact")
	}
	contacts := []*domain.Contact{row.toDomain()}
	return contacts[0], s.loadContactTags(ctx, ws, contacts)
}

// AddContactExternalRefs gives a contact other systems' ids. A ref the
// contact already has is kept; one held by another contact is a conflict
// naming that contact. A concurrent insert of the same ref waits for the
// other transaction and then sees its row.
func (s *Store) AddContactExternalRefs(ctx context.Context, contactID string, refs []domain.ExternalRef, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		row := contactExternalRefRow{WorkspaceID: ws, System: ref.System, ExternalID: ref.ID, ContactID: contactID, CreatedAt: storedTime(&at)}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return writeError(err, "external ref")
		}
		var holder string
		err := db.Table("contact_external_refs").Where("workspace_id = ? AND system = ? AND external_id = ?", ws, ref.System, ref.ID).
			Pluck("contact_id", &holder).Error
		if err != nil {
			return writeError(err, "external ref")
		}
		if holder != contactID {
			return &domain.Error{Code: domain.CodeConflict, Field: "external_refs", ExistingID: holder,
				Message: "contact " + holder + " already has the external ref " + ref.String()}
		}
	}
	return nil
}

// crmFilters adds the CRM search filters of a contact listing.
func (s *Store) crmFilters(q *gorm.DB, f domain.ContactFilter) *gorm.DB {
	if f.ExternalRef != nil {
		q = q.Where("EXISTS (SELECT 1 FROM contact_external_refs r WHERE r.workspace_id = ct.workspace_id AND r.contact_id = ct.id AND r.system = ? AND r.external_id = ?)",
			f.ExternalRef.System, f.ExternalRef.ID)
	}
	if f.Name != "" {
		q = q.Where("ct.name "+s.likeOp()+" ? ESCAPE '\\'", containsPattern(f.Name))
	}
	if f.Email != "" {
		q = q.Where("ct.email = ?", f.Email)
	}
	if f.Phone != "" {
		q = q.Where("ct.phone_e164 = ?", f.Phone)
	}
	for key, value := range f.Attributes {
		q = s.attributeFilter(q, key, value)
	}
	return q
}

// attributeFilter keeps contacts whose custom attribute key equals value:
// as text, or as the number or boolean value spells. Postgres answers
// with containment, which the GIN index on custom_attributes serves.
func (s *Store) attributeFilter(q *gorm.DB, key, value string) *gorm.DB {
	candidates := []any{value}
	if n, err := strconv.ParseFloat(value, 64); err == nil {
		candidates = append(candidates, n)
	}
	if b, err := strconv.ParseBool(value); err == nil && (value == "true" || value == "false") {
		candidates = append(candidates, b)
	}
	var terms []string
	var args []any
	for _, v := range candidates {
		if s.dialect == DialectPostgres {
			doc, _ := jsonObject{key: v}.Value()
			terms, args = append(terms, "ct.custom_attributes @> CAST(? AS jsonb)"), append(args, doc)
			continue
		}
		path := `$."` + strings.ReplaceAll(key, `"`, `""`) + `"`
		switch v.(type) {
		case string:
			terms = append(terms, "(json_type(ct.custom_attributes, ?) = 'text' AND json_extract(ct.custom_attributes, ?) = ?)")
		case bool:
			terms = append(terms, "(json_type(ct.custom_attributes, ?) IN ('true', 'false') AND json_extract(ct.custom_attributes, ?) = ?)")
		default:
			terms = append(terms, "(json_type(ct.custom_attributes, ?) IN ('integer', 'real') AND json_extract(ct.custom_attributes, ?) = ?)")
		}
		args = append(args, path, path, v)
	}
	return q.Where("("+strings.Join(terms, " OR ")+")", args...)
}
