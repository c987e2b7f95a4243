package domain

import (
	"context"

	"github.com/centralita/centralita/domain/cleantext"
)

// SystemUserChangedNumber is WhatsApp's notice that a customer moved to a
// new phone number; their next messages come from the new wa_id.
const SystemUserChangedNumber = "user_changed_number"

// SystemUserChangedUserID is WhatsApp's notice that a customer's
// business-scoped user id changed (it does when their number changes).
const SystemUserChangedUserID = "user_changed_user_id"

// followNumberChange keeps one person one contact across a number change:
// the contact takes the new wa_id (and its E.164), so the customer's next
// message lands in the same history instead of a stranger's. When the new
// number already belongs to another contact, both are left as they are
// for a person to merge.
func (s *Service) followNumberChange(ctx context.Context, contact *Contact, notice *SystemNotice) error {
	if notice != nil && notice.Kind == SystemUserChangedUserID {
		return s.followUserIDChange(ctx, contact, contact.UserID, notice.NewUserID)
	}
	if notice == nil || notice.Kind != SystemUserChangedNumber || !digitsOnly(notice.NewWaID) ||
		len(notice.NewWaID) > 20 || notice.NewWaID == contact.WaID {
		return nil
	}
	if _, err := s.store.FindContactByWaID(ctx, notice.NewWaID); err == nil {
		return nil
	} else if ErrorCode(err) != CodeNotFound {
		return err
	}
	old := contact.WaID
	contact.WaID, contact.UpdatedAt = notice.NewWaID, s.now()
	if s.opts.PhoneE164 != nil {
		// The new number's E.164, unless another contact has it (phones
		// are unique among live contacts): then the old one is cleared.
		contact.PhoneE164 = s.opts.PhoneE164(notice.NewWaID)
		if contact.PhoneE164 != "" && !s.unclaimed(ctx, s.store.FindContactByPhone, contact.PhoneE164) {
			contact.PhoneE164 = ""
		}
	}
	if err := s.store.UpdateContact(ctx, contact); err != nil {
		return err
	}
	return s.record(ctx, EventContactNumberChanged, contact.ID, map[string]any{"contact_id": contact.ID,
		"old_wa_id": old, "new_wa_id": notice.NewWaID})
}

// followUserIDChange gives the contact its new BSUID, unless another
// contact already holds it (left for a person to merge).
func (s *Service) followUserIDChange(ctx context.Context, contact *Contact, previous, current string) error {
	if !validUserID(current) || current == contact.UserID || !s.unclaimed(ctx, s.store.FindContactByUserID, current) {
		return nil
	}
	contact.UserID, contact.UpdatedAt = current, s.now()
	if err := s.store.UpdateContact(ctx, contact); err != nil {
		return err
	}
	return s.record(ctx, EventContactUserIDChanged, contact.ID, map[string]any{"contact_id": contact.ID,
		"previous_user_id": previous, "user_id": current})
}

// FollowUserIDUpdate applies Meta's user_id_update webhook: the customer
// (found by the previous user id, else by wa_id) takes the current one. A
// customer we do not know is no error: there is nothing to update.
// ctx must act as the system in the channel's workspace.
func (s *Service) FollowUserIDUpdate(ctx context.Context, ch *Channel, waID, previous, current string) error {
	waID, previous, current = cleantext.Clean(waID), cleantext.Clean(previous), cleantext.Clean(current)
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System || p.WorkspaceID != ch.WorkspaceID {
		return Errorf(CodeForbidden, "only the channel's workspace system follows user id updates")
	}
	if !validUserID(current) {
		return FieldError("user_id", "the current user id is not a WhatsApp business-scoped user id")
	}
	return s.store.Savepoint(ctx, func(ctx context.Context) error { // as receiveOnce
		c, err := s.findSender(ctx, waID, previous, "")
		if ErrorCode(err) == CodeNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		return s.followUserIDChange(ctx, c, c.UserID, current)
	})
}
