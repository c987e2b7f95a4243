package persistence

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/centralita/centralita/domain"
)

// The inbound path's reads, shaped so one customer message costs a handful
// of statements: the sender in one lookup, the active conversation with
// everything the path decides on in another. Conditions repeat the partial
// unique indexes' predicates (wa_id <> '', …) literally so that a cached
// generic plan on Postgres, and SQLite's planner, can use those indexes.

// FindSender finds the contact behind a message by BSUID, else wa_id, else
// the oldest with the E.164 number, in one statement; empty ids are not
// looked up. The contact's TagIDs are not loaded.
func (s *Store) FindSender(ctx context.Context, waID, userID, phoneE164 string) (*domain.Contact, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var terms []string
	var args []any
	var rank strings.Builder
	rank.WriteString("CASE")
	for _, id := range []struct{ column, value string }{{"user_id", userID}, {"wa_id", waID}, {"phone_e164", phoneE164}} {
		if id.value == "" {
			continue
		}
		terms = append(terms, "("+id.column+" = ? AND "+id.column+" <> '')")
		args = append(args, id.value)
		rank.WriteString(" WHEN " + id.column + " = ? THEN " + string(rune('0'+len(terms))))
	}
	if len(terms) == 0 {
		return nil, domain.NotFound("contact")
	}
	rank.WriteString(" ELSE 9 END")
	var row contactRow
	err = db.Where("workspace_id = ? AND deleted_at IS NULL AND ("+strings.Join(terms, " OR ")+")", append([]any{ws}, args...)...).
		Order(clause.OrderBy{Expression: clause.Expr{SQL: rank.String() + ", created_at, id", Vars: args}}).
		Take(&row).Error
	if err != nil {
		return nil, writeError(err, "contact")
	}
	return row.toDomain(), nil
}

// inboundConversationRow is an active conversation with what the inbound
// path decides on, read in the same statement.
type inboundConversationRow struct {
	Conversation     conversationRow `gorm:"embedded"`
	TagList          *string         `gorm:"column:tag_list;->"`
	QueueSLAPolicyID *string         `gorm:"column:queue_sla_policy_id;->"`
	WelcomeBots      int             `gorm:"column:welcome_bots;->"`
	RoutingRules     int             `gorm:"column:routing_rules;->"`
}

// FindInboundConversation returns the contact's newest conversation on the
// channel that is not closed, with its tags, whether its queue has an SLA
// policy, and whether a welcome bot or routing rules may act: one
// statement instead of five.
func (s *Store) FindInboundConversation(ctx context.Context, contactID, channelID string) (*domain.InboundConversation, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	tagAgg := "string_agg(t.tag_id, ',')"
	if s.dialect == DialectSQLite {
		tagAgg = "group_concat(t.tag_id, ',')"
	}
	var row inboundConversationRow
	err = db.Table("conversations AS c").
		Select(conversationColumns+", (SELECT "+tagAgg+" FROM conversation_tags t WHERE t.workspace_id = c.workspace_id AND t.conversation_id = c.id) AS tag_list,"+
			" (SELECT q.sla_policy_id FROM queues q WHERE q.workspace_id = c.workspace_id AND q.id = c.queue_id) AS queue_sla_policy_id,"+
			" (SELECT count(*) FROM welcome_bots b WHERE b.workspace_id = c.workspace_id AND b.channel_id IN (c.channel_id, '')) AS welcome_bots,"+
			" (SELECT count(*) FROM routing_rules r WHERE r.workspace_id = c.workspace_id) AS routing_rules").
		Where("c.workspace_id = ? AND c.contact_id = ? AND c.channel_id = ? AND c.status <> ?",
			ws, contactID, channelID, string(domain.StatusClosed)).
		Order("c.created_at DESC, c.id DESC").Take(&row).Error
	if err != nil {
		return nil, writeError(err, "conversation")
	}
	c := row.Conversation.toDomain()
	if row.TagList != nil && *row.TagList != "" {
		c.TagIDs = strings.Split(*row.TagList, ",")
		slices.Sort(c.TagIDs)
	}
	return &domain.InboundConversation{Conversation: c, QueueHasSLA: str(row.QueueSLAPolicyID) != "",
		MayAutomate: row.WelcomeBots > 0 || row.RoutingRules > 0}, nil
}
