package graph

import (
	"math"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/generated"
	"github.com/centralita/centralita/graph/model"
)

// unpagedListSize is the assumed length of lists that are not paginated
// (queues, tags, channels, members): small catalogs, but not free.
const unpagedListSize = 10

// pagedCost counts a connection as first (default page size) copies of its
// selection, so nested pages multiply: first:100 inside first:100 is 10,000.
func pagedCost(child int, first *int) int {
	n := domain.DefaultPageSize
	if first != nil && *first > 0 {
		n = *first
	}
	return times(child, n)
}

func times(child, n int) int {
	if child > 0 && n > math.MaxInt/child {
		return math.MaxInt
	}
	return 1 + child*n
}

func listCost(child int) int { return times(child, unpagedListSize) }

// setComplexity installs the cost of every list field.
func setComplexity(c *generated.ComplexityRoot) {
	c.Query.Conversations = func(child int, first *int, _ *string, _ *model.ConversationFilter, _ *domain.Sort) int {
		return pagedCost(child, first)
	}
	c.Query.Contacts = func(child int, first *int, _ *string, _ *model.ContactFilter, _ *domain.Sort) int {
		return pagedCost(child, first)
	}
	c.Query.Users = func(child int, first *int, _ *string, _ *model.UserFilter) int { return pagedCost(child, first) }
	c.Query.Tasks = func(child int, first *int, _ *string, _ *model.TaskFilter, _ *domain.Sort) int {
		return pagedCost(child, first)
	}
	c.Query.Nodes = func(child int, ids []string) int { return times(child, len(ids)) }
	c.Query.Queues = listCost
	c.Query.Tags = listCost
	c.Query.Channels = listCost
	c.Query.APIKeys = listCost
	c.Conversation.Messages = func(child int, first *int, _ *string, _ *time.Time, _ *domain.Sort) int {
		return pagedCost(child, first)
	}
	c.Conversation.Notes = func(child int, first *int, _ *string) int { return pagedCost(child, first) }
	c.Conversation.Tasks = func(child int, first *int, _ *string, _ *time.Time, _ *domain.Sort) int {
		return pagedCost(child, first)
	}
	c.Conversation.Tags = listCost
	c.Contact.Conversations = func(child int, first *int, _ *string) int { return pagedCost(child, first) }
	c.Contact.Tags = listCost
	c.User.Queues = listCost
	c.Queue.Members = listCost
	c.Query.CloseReasons = listCost
	c.Conversation.Events = func(child int, first *int, _ *string) int { return pagedCost(child, first) }
	// Four columns of first cards each (default DefaultBoardLimit).
	c.Query.Board = func(child int, first *int, _ *model.BoardFilter) int {
		n := domain.DefaultBoardLimit
		if first != nil && *first > 0 {
			n = *first
		}
		return times(child, len(domain.BoardStatuses)*n)
	}
}
