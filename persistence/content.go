package persistence

import (
	"database/sql/driver"

	"github.com/centralita/centralita/domain"
)

// contentColumn is a message's structured content as one JSON document
// (NULL when a message has none, like plain text). The nested domain
// structs are encoded with their Go field names: renaming one of those
// fields is a stored-format change and needs a migration.
type contentColumn struct{ m *domain.Message }

type contentJSON struct {
	Media       *domain.Media          `json:"media,omitempty"`
	Location    *domain.Location       `json:"location,omitempty"`
	Contacts    []domain.SharedContact `json:"contacts,omitempty"`
	Interactive *domain.Interactive    `json:"interactive,omitempty"`
	Reaction    *domain.Reaction       `json:"reaction,omitempty"`
	Order       *domain.Order          `json:"order,omitempty"`
	System      *domain.SystemNotice   `json:"system,omitempty"`
}

func (j *contentJSON) empty() bool {
	return j.Media == nil && j.Location == nil && len(j.Contacts) == 0 && j.Interactive == nil &&
		j.Reaction == nil && j.Order == nil && j.System == nil
}

func contentOf(m *domain.Message) contentJSON {
	return contentJSON{Media: m.Media, Location: m.Location, Contacts: m.Contacts,
		Interactive: m.Interactive, Reaction: m.Reaction, Order: m.Order, System: m.System}
}

// Value implements driver.Valuer.
func (c contentColumn) Value() (driver.Value, error) {
	if c.m == nil {
		return nil, nil
	}
	j := contentOf(c.m)
	if j.empty() {
		return nil, nil
	}
	return valueJSON(j, "message content")
}

// Scan implements sql.Scanner; the content lands in c.m, which toDomain
// then copies onto the message.
func (c *contentColumn) Scan(src any) error {
	var j contentJSON
	_, err := scanJSON(src, &j, "message content")
	c.m = &domain.Message{Media: j.Media, Location: j.Location, Contacts: j.Contacts,
		Interactive: j.Interactive, Reaction: j.Reaction, Order: j.Order, System: j.System}
	return err
}

// copyTo sets m's structured content from a scanned column.
func (c contentColumn) copyTo(m *domain.Message) {
	if c.m == nil {
		return
	}
	m.Media, m.Location, m.Contacts = c.m.Media, c.m.Location, c.m.Contacts
	m.Interactive, m.Reaction, m.Order, m.System = c.m.Interactive, c.m.Reaction, c.m.Order, c.m.System
}
