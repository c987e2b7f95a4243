package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// DeleteContact deletes a live contact softly: it leaves lists and reads,
// its conversations, messages and tasks stay (anonymising them is the
// retention rules' work). Its external refs are released, so a CRM that
// creates the person again gets a new contact under the same id.
func (s *Store) DeleteContact(ctx context.Context, id string, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Table("contacts").Where("id = ? AND workspace_id = ? AND deleted_at IS NULL", id, ws).
		Updates(map[string]any{"deleted_at": storedTime(&at), "updated_at": storedTime(&at)})
	if err := updated(res, "contact"); err != nil {
		return err
	}
	err = db.Where("workspace_id = ? AND contact_id = ?", ws, id).Delete(&contactExternalRefRow{}).Error
	return deleteError(err, "external ref")
}

// MergeContacts moves everything that references merged to survivor
// (conversations, tasks, tags, external refs, the messages it wrote and
// the contacts merged into it before) and marks merged as merged into
// survivor. The caller runs it in a transaction with the survivor's
// update, and has checked both are live contacts of the workspace.
func (s *Store) MergeContacts(ctx context.Context, survivorID, mergedID string, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	// Mark the merged contact first: its wa_id, phone and email leave the
	// live unique indexes, so the survivor may take them.
	res := db.Table("contacts").Where("id = ? AND workspace_id = ? AND deleted_at IS NULL", mergedID, ws).
		Updates(map[string]any{"deleted_at": storedTime(&at), "updated_at": storedTime(&at), "merged_into": survivorID})
	if err := updated(res, "contact"); err != nil {
		return err
	}
	moves := []struct{ sql, kind string }{
		{"UPDATE conversations SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?", "conversation"},
		{"UPDATE tasks SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?", "task"},
		{"UPDATE contact_external_refs SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?", "external ref"},
		{"UPDATE messages SET author_id = ? WHERE workspace_id = ? AND author_kind = 'contact' AND author_id = ?", "message"},
		// One hop from any older merged id to the live survivor.
		{"UPDATE contacts SET merged_into = ? WHERE workspace_id = ? AND merged_into = ?", "contact"},
	}
	for _, m := range moves {
		if err := db.Exec(m.sql, survivorID, ws, mergedID).Error; err != nil {
			return writeError(err, m.kind)
		}
	}
	// Tags: the survivor gets those it lacks, the merged contact keeps none.
	err = db.Exec(`INSERT INTO contact_tags (workspace_id, contact_id, tag_id)
		SELECT workspace_id, ?, tag_id FROM contact_tags WHERE workspace_id = ? AND contact_id = ?
		ON CONFLICT DO NOTHING`, survivorID, ws, mergedID).Error
	if err != nil {
		return writeError(err, "contact tag")
	}
	err = db.Where("workspace_id = ? AND contact_id = ?", ws, mergedID).Delete(&contactTagRow{}).Error
	return deleteError(err, "contact tag")
}

// FindMergedSurvivor returns the id of the contact that a merged contact
// holding this wa_id (else BSUID) was merged into, newest merge first.
func (s *Store) FindMergedSurvivor(ctx context.Context, waID, userID string) (string, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return "", err
	}
	for _, id := range []struct{ column, value string }{{"user_id", userID}, {"wa_id", waID}} {
		if id.value == "" {
			continue
		}
		var into []string
		err := db.Table("contacts").Where("workspace_id = ? AND merged_into <> '' AND "+id.column+" = ?", ws, id.value).
			Order("deleted_at DESC").Limit(1).Pluck("merged_into", &into).Error
		if err != nil {
			return "", writeError(err, "contact")
		}
		if len(into) == 1 {
			return into[0], nil
		}
	}
	return "", domain.NotFound("contact")
}
