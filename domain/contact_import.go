package domain

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/centralita/centralita/domain/access"
	"github.com/centralita/centralita/domain/cleantext"
	"github.com/centralita/centralita/domain/contactcsv"
	"github.com/centralita/centralita/domain/phone"
)

// MaxImportRows bounds one import; larger lists go in several files.
const MaxImportRows = 10000

// ImportResult is what an import did (or, on a dry run, would do).
type ImportResult struct {
	Created, Updated int
	Errors           []ImportError
	// IgnoredColumns are headers the import does not know.
	IgnoredColumns []string
	DryRun         bool
}

// ImportError names a row (its line in the file, the header being 1),
// the column at fault and why.
type ImportError struct {
	Row    int
	Field  string
	Reason string
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// ImportContacts upserts each row of a CSV file by its external ref (the
// first one given), else its phone. A bad row is reported and skipped;
// it never blocks the others. A dry run does all of it in a transaction
// that is rolled back, so its counts and errors are the real ones and
// nothing is written. Errors: invalid (the file as a whole), forbidden.
func (s *Service) ImportContacts(ctx context.Context, data []byte, dryRun bool) (*ImportResult, error) {
	if err := mayContacts(ctx, access.TransferContacts); err != nil {
		return nil, err
	}
	sheet, err := contactcsv.Parse(data)
	var lineErr *contactcsv.LineError
	switch {
	case errors.Is(err, contactcsv.ErrEmpty):
		return nil, FieldError("file", "the file has no header row")
	case err != nil && !errors.As(err, &lineErr):
		return nil, err
	}
	if len(sheet.Rows) > MaxImportRows {
		return nil, FieldError("file", "at most %d rows per import; split the file", MaxImportRows)
	}
	res := &ImportResult{Errors: []ImportError{}, IgnoredColumns: []string{}, DryRun: dryRun}
	if err := checkImportColumns(sheet, res); err != nil {
		return nil, err
	}
	rows := func(ctx context.Context) {
		for _, row := range sheet.Rows {
			s.importRow(ctx, sheet.Columns, row, res)
		}
		if lineErr != nil {
			res.Errors = append(res.Errors, ImportError{Row: lineErr.Line, Field: "file",
				Reason: "this line is not valid CSV; it and the lines after it were not read"})
		}
	}
	if dryRun {
		// One transaction, rolled back: a later row sees an earlier one
		// (the same phone twice is one created, one updated), as for real.
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			rows(ctx)
			return errDryRun
		})
		if !errors.Is(err, errDryRun) {
			return nil, err
		}
		return res, nil
	}
	// Each row commits alone (a long transaction would hold back the
	// events feed of every workspace); the summary event follows.
	rows(ctx)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		return s.record(ctx, EventContactsImported, principalWorkspace(ctx), map[string]any{
			"created": res.Created, "updated": res.Updated, "errors": len(res.Errors)})
	})
	return res, err
}

// checkImportColumns refuses a file without a phone or external ref
// column and notes the columns it ignores.
func checkImportColumns(sheet *contactcsv.Sheet, res *ImportResult) error {
	keyed := false
	for _, c := range sheet.Columns {
		switch c.Field {
		case "phone", "ref", "external_refs", "wa_id":
			keyed = true
		case "":
			res.IgnoredColumns = append(res.IgnoredColumns, c.Header)
		}
	}
	if !keyed {
		return FieldError("file", "the file needs a phone column (phone, teléfono, celular…), a wa_id column or an external ref column (ref.<system> or external_refs)")
	}
	return nil
}

// importRow upserts one row, counting it or recording why it failed. The
// upsert runs in its own transaction (under a savepoint in a dry run), so
// a failed row leaves nothing behind.
func (s *Service) importRow(ctx context.Context, cols []contactcsv.Column, row contactcsv.Row, res *ImportResult) {
	match, in, err := rowInput(cols, row)
	if err == nil {
		match = s.importMatch(ctx, match, in)
		var created bool
		_, created, err = s.UpsertContact(ctx, match, in)
		if err == nil && created {
			res.Created++
		} else if err == nil {
			res.Updated++
		}
	}
	if err != nil {
		e, ok := AsError(err)
		if !ok || e.Code == CodeInternal || e.Code == CodeUnavailable {
			e = &Error{Field: "row", Message: "the row could not be stored; retry the import"}
		}
		res.Errors = append(res.Errors, ImportError{Row: row.Line, Field: columnOf(cols, e.Field), Reason: e.Message})
	}
}

// columnOf names an error's field by the file's own header for it, as
// the person fixing the sheet sees it ("Teléfono" for phone).
func columnOf(cols []contactcsv.Column, field string) string {
	field = strings.TrimPrefix(field, "match.")
	want := map[string][]string{"phone": {"phone"}, "phone_e164": {"phone"}, "email": {"email"}, "name": {"name"},
		"wa_id": {"wa_id"}, "external_ref": {"ref", "external_refs"}, "external_refs": {"ref", "external_refs"},
		"custom_attributes": {"attr", "custom_attributes"}}[field]
	for _, c := range cols {
		for _, w := range want {
			if c.Field == w {
				return c.Header
			}
		}
	}
	return field
}

// importMatch prefers, for a row with a ref no contact has yet and a
// phone a contact already has, that contact: the CRM's id is added to
// the person on file rather than refused as a second one with the number.
func (s *Service) importMatch(ctx context.Context, m ContactMatch, in ContactInput) ContactMatch {
	if m.ExternalRef == nil || in.Phone == nil {
		return m
	}
	if _, err := s.store.FindContactByExternalRef(ctx, *m.ExternalRef); ErrorCode(err) != CodeNotFound {
		return m
	}
	country, err := s.defaultCountry(ctx)
	if err != nil {
		return m
	}
	e164, err := phone.Normalize(*in.Phone, country)
	if err != nil {
		return m // the upsert names the bad number
	}
	if _, err := s.store.FindContactByPhone(ctx, e164); err == nil {
		return ContactMatch{Phone: e164}
	}
	return m
}

// rowInput reads a row's cells into an upsert: matched by its first
// external ref, else its phone, else its wa_id.
func rowInput(cols []contactcsv.Column, row contactcsv.Row) (ContactMatch, ContactInput, error) {
	var m ContactMatch
	var in ContactInput
	var refs []ExternalRef
	attrs := map[string]any{}
	for i, col := range cols {
		if i >= len(row.Cells) {
			break
		}
		v := strings.TrimSpace(row.Cells[i])
		if v == "" || col.Field == "" {
			continue
		}
		if problem := cleantext.Problem(v); problem != "" {
			return m, in, FieldError(col.Header, "%s %s", col.Header, problem)
		}
		switch col.Field {
		case "name":
			in.Name = &v
		case "phone":
			in.Phone = &v
		case "email":
			in.Email = &v
		case "wa_id":
			in.WaID = &v
		case "ref":
			refs = append(refs, ExternalRef{System: col.Key, ID: v})
		case "external_refs":
			for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '|' || r == ' ' }) {
				ref, err := ParseExternalRef(col.Header, part)
				if err != nil {
					return m, in, err
				}
				refs = append(refs, ref)
			}
		case "attr":
			attrs[col.Key] = v
		case "custom_attributes":
			var obj map[string]any
			if err := json.Unmarshal([]byte(v), &obj); err != nil {
				return m, in, FieldError(col.Header, "%s must be a JSON object", col.Header)
			}
			for k, val := range obj {
				if _, set := attrs[k]; !set {
					attrs[k] = val
				}
			}
		}
	}
	if len(attrs) > 0 {
		in.CustomAttributes = &attrs
	}
	switch {
	case len(refs) > 0:
		m.ExternalRef = &refs[0]
		in.ExternalRefs = &refs
	case in.Phone != nil:
		m.Phone = *in.Phone
	case in.WaID != nil:
		m.WaID = *in.WaID
	default:
		return m, in, FieldError("phone", "the row has neither a phone, a wa_id nor an external ref to match a contact by")
	}
	return m, in, nil
}
