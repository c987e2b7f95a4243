package persistence

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/centralita/centralita/domain"
)

// errNoPrincipal is returned by every scoped method called without a
// principal in ctx: persistence fails closed instead of reading unscoped.
func errNoPrincipal() error {
	return domain.Errorf(domain.CodeUnauthenticated, "authentication required")
}

// duplicateMessages names, per kind of record, what a unique-key violation
// means to the caller. Each table has one unique key a caller can hit (the
// opaque ids are random), so the kind is enough to explain it.
var duplicateMessages = map[string]string{
	"workspace":    "a workspace with this id already exists",
	"user":         "a user with this email already exists in the workspace",
	"queue":        "a queue with this name already exists",
	"tag":          "a tag with this name already exists",
	"channel":      "this phone_number_id is already registered",
	"contact":      "a contact with this wa_id already exists",
	"message":      "this message was already recorded",
	"API key":      "an API key with this secret already exists",
	"session":      "this session already exists",
	"conversation": "this conversation already exists",
}

// writeError translates a database error of a read or a write on kind into
// a domain error. Driver text never reaches the caller: anything not mapped
// becomes an internal error (logged by the adapters, shown as "internal"),
// except an outage, which is unavailable (see outage.go).
func writeError(err error, kind string) error {
	return translate(err, kind, func() error {
		return domain.Errorf(domain.CodeNotFound, "%s refers to a record that does not exist", kind)
	})
}

// deleteError translates a database error of a delete: a foreign-key
// violation there means other records still use the row.
func deleteError(err error, kind string) error {
	return translate(err, kind, func() error {
		return domain.Errorf(domain.CodeConflict, "this %s is still in use", kind)
	})
}

// translate is the one place where database errors become domain errors.
func translate(err error, kind string, foreignKey func() error) error {
	if err == nil {
		return nil
	}
	if _, ok := domain.AsError(err); ok {
		return err
	}
	if isOutage(err) {
		return &outageError{cause: err}
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return domain.NotFound(kind)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		msg, ok := duplicateMessages[kind]
		if !ok {
			msg = "this " + kind + " already exists"
		}
		return domain.Errorf(domain.CodeConflict, "%s", msg)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return foreignKey()
	}
	return fmt.Errorf("persistence: %s: %w", kind, err)
}

// versionConflict is the answer to a lost optimistic-concurrency race.
func versionConflict() error {
	return domain.ErrStaleVersion
}
