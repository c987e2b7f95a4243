package persistence

import (
	"time"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
)

// Listings are keyset-paginated on (sort instant, id): the id breaks ties
// between equal instants, so no row is skipped or repeated across pages.

// keyset adds the "after the cursor" condition and the ORDER BY for a
// listing on (timeCol, idCol), newest first when desc. The column names are
// constants of this package, never caller input.
func keyset(q *gorm.DB, timeCol, idCol string, pq domain.PageQuery, desc bool) *gorm.DB {
	op, dir := " > ", " ASC"
	if desc {
		op, dir = " < ", " DESC"
	}
	if pq.After != nil {
		// Row-value comparison: one index range scan on both dialects.
		q = q.Where("("+timeCol+", "+idCol+")"+op+"(?, ?)", utcTime{pq.After.Time}, pq.After.ID)
	}
	return q.Order(timeCol + dir + ", " + idCol + dir).Limit(pageLimit(pq) + 1)
}

// pageLimit is the page size; the domain validates it, the default only
// guards a caller that skipped validation.
func pageLimit(pq domain.PageQuery) int {
	if pq.Limit <= 0 {
		return domain.DefaultPageSize
	}
	return pq.Limit
}

// makePage converts the limit+1 rows fetched by keyset into a domain page.
func makePage[R any, T any](rows []R, pq domain.PageQuery, convert func(*R) T, key func(T) domain.Cursor) domain.Page[T] {
	items := make([]T, len(rows))
	for i := range rows {
		items[i] = convert(&rows[i])
	}
	return domain.MakePage(items, pageLimit(pq), key)
}

// listing is how one syncable listing pages: its own order (timeCol, newest
// first when desc) and the table alias holding updated_at and id.
type listing struct {
	alias   string // "c." or "" for an unaliased table
	timeCol string
	desc    bool
}

// page adds the sync filter and the keyset of the order pq asks for: the
// listing's own, or ascending (updated_at, id) for SortUpdatedAt.
// updated_since is inclusive: a sync that saves the last updated_at it saw
// and resumes from it gets the rows that share that instant again rather
// than losing the ones it had not reached.
func (l listing) page(q *gorm.DB, pq domain.PageQuery) *gorm.DB {
	if pq.UpdatedSince != nil {
		q = q.Where(l.alias+"updated_at >= ?", utcTime{*pq.UpdatedSince})
	}
	if pq.Sort == domain.SortUpdatedAt {
		return keyset(q, l.alias+"updated_at", l.alias+"id", pq, false)
	}
	return keyset(q, l.alias+l.timeCol, l.alias+"id", pq, l.desc)
}

// pageKey picks the cursor of an item in the order pq asks for.
func pageKey[T any](pq domain.PageQuery, own func(T) domain.Cursor, updated func(T) (time.Time, string)) func(T) domain.Cursor {
	if pq.Sort != domain.SortUpdatedAt {
		return own
	}
	return func(item T) domain.Cursor {
		at, id := updated(item)
		return domain.Cursor{Time: at, ID: id, Sort: domain.SortUpdatedAt}
	}
}
