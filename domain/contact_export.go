package domain

import (
	"context"

	"github.com/centralita/centralita/domain/access"
)

// exportPageSize is how many contacts an export reads at a time: memory
// stays flat however large the workspace.
const exportPageSize = MaxPageSize

// ExportContacts hands each live contact matching f to write, newest
// first, a page at a time, then records contacts.exported. write's error
// (the client went away) stops the export. Errors: forbidden, invalid
// (the filter).
func (s *Service) ExportContacts(ctx context.Context, f ContactFilter, write func(*Contact) error) error {
	if err := mayContacts(ctx, access.TransferContacts); err != nil {
		return err
	}
	size := exportPageSize
	f.Page = PageRequest{Limit: &size}
	count := 0
	for {
		page, err := s.Contacts(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			if err := write(c); err != nil {
				return err
			}
			count++
		}
		if !page.HasMore {
			break
		}
		f.Page.After = page.NextCursor
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		return s.record(ctx, EventContactsExported, principalWorkspace(ctx), map[string]any{"contacts": count})
	})
}
