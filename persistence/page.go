package persistence

import (
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
