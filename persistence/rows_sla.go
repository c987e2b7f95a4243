package persistence

import (
	"github.com/centralita/centralita/domain"
)

// slaColumns are a conversation's SLA columns (migration 00020).
type slaColumns struct {
	SLAPolicyID           *string              `gorm:"column:sla_policy_id"`
	SLAState              *string              `gorm:"column:sla_state"`
	SLAFirstResponseDueAt *utcTime             `gorm:"column:sla_first_response_due_at"`
	SLANextResponseDueAt  *utcTime             `gorm:"column:sla_next_response_due_at"`
	SLAResolutionDueAt    *utcTime             `gorm:"column:sla_resolution_due_at"`
	SLARepliedAt          *utcTime             `gorm:"column:sla_replied_at"`
	SLAAwaitingSince      *utcTime             `gorm:"column:sla_awaiting_since"`
	SLAAlerts             jsonColumn[[]string] `gorm:"column:sla_alerts"`
}

// slaColumnNames are the columns of slaColumns.
var slaColumnNames = []string{"sla_policy_id", "sla_state", "sla_first_response_due_at", "sla_next_response_due_at",
	"sla_resolution_due_at", "sla_replied_at", "sla_awaiting_since", "sla_alerts"}

func slaColumnsFromDomain(c *domain.Conversation) slaColumns {
	cols := slaColumns{SLARepliedAt: storedTimePtr(c.SLARepliedAt), SLAAwaitingSince: storedTimePtr(c.SLAAwaitingSince)}
	cols.SLAAlerts.V = []string{}
	if s := c.SLA; s != nil {
		state := string(s.State)
		cols.SLAPolicyID, cols.SLAState = nullable(s.PolicyID), &state
		cols.SLAFirstResponseDueAt = storedTimePtr(s.FirstResponseDueAt)
		cols.SLANextResponseDueAt = storedTimePtr(s.NextResponseDueAt)
		cols.SLAResolutionDueAt = storedTimePtr(s.ResolutionDueAt)
		if s.Alerts != nil {
			cols.SLAAlerts.V = s.Alerts
		}
	}
	return cols
}

func (r slaColumns) sla() *domain.ConversationSLA {
	if r.SLAPolicyID == nil {
		return nil
	}
	alerts := r.SLAAlerts.V
	if alerts == nil {
		alerts = []string{}
	}
	return &domain.ConversationSLA{PolicyID: *r.SLAPolicyID, State: domain.SLAState(str(r.SLAState)),
		FirstResponseDueAt: timePtr(r.SLAFirstResponseDueAt), NextResponseDueAt: timePtr(r.SLANextResponseDueAt),
		ResolutionDueAt: timePtr(r.SLAResolutionDueAt), Alerts: alerts}
}

func (r slaColumns) updates() map[string]any {
	return map[string]any{"sla_policy_id": r.SLAPolicyID, "sla_state": r.SLAState,
		"sla_first_response_due_at": r.SLAFirstResponseDueAt, "sla_next_response_due_at": r.SLANextResponseDueAt,
		"sla_resolution_due_at": r.SLAResolutionDueAt, "sla_replied_at": r.SLARepliedAt,
		"sla_awaiting_since": r.SLAAwaitingSince, "sla_alerts": r.SLAAlerts}
}
