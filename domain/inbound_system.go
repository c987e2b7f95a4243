package domain

import "context"

// SystemUserChangedNumber is WhatsApp's notice that a customer moved to a
// new phone number; their next messages come from the new wa_id.
const SystemUserChangedNumber = "user_changed_number"

// followNumberChange keeps one person one contact across a number change:
// the contact takes the new wa_id (and its E.164), so the customer's next
// message lands in the same history instead of a stranger's. When the new
// number already belongs to another contact, both are left as they are
// for a person to merge.
func (s *Service) followNumberChange(ctx context.Context, contact *Contact, notice *SystemNotice) error {
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
		contact.PhoneE164 = s.opts.PhoneE164(notice.NewWaID)
	}
	if err := s.store.UpdateContact(ctx, contact); err != nil {
		return err
	}
	return s.record(ctx, "contact.number_changed", contact.ID, map[string]any{"contact_id": contact.ID,
		"old_wa_id": old, "new_wa_id": notice.NewWaID})
}
