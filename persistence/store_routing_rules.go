package persistence

import (
	"context"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/routing"
)

type conditionJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type actionJSON struct {
	Type     string   `json:"type"`
	QueueID  string   `json:"queue_id,omitempty"`
	TagIDs   []string `json:"tag_ids,omitempty"`
	Priority string   `json:"priority,omitempty"`
	AgentID  string   `json:"agent_id,omitempty"`
	Text     string   `json:"text,omitempty"`
}

type routingRuleRow struct {
	ID          string                      `gorm:"column:id;primaryKey"`
	WorkspaceID string                      `gorm:"column:workspace_id"`
	Name        string                      `gorm:"column:name"`
	Position    int                         `gorm:"column:position"`
	Conditions  jsonColumn[[]conditionJSON] `gorm:"column:conditions"`
	Actions     jsonColumn[[]actionJSON]    `gorm:"column:actions"`
	Continue    bool                        `gorm:"column:continue"`
	CreatedAt   utcTime                     `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   utcTime                     `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (routingRuleRow) TableName() string { return "routing_rules" }

func routingRuleFromDomain(r *domain.RoutingRule) routingRuleRow {
	row := routingRuleRow{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Position: r.Position,
		Continue: r.Continue, CreatedAt: storedTime(&r.CreatedAt), UpdatedAt: storedTime(&r.UpdatedAt)}
	row.Conditions.V = make([]conditionJSON, len(r.Conditions))
	for i, c := range r.Conditions {
		row.Conditions.V[i] = conditionJSON{Type: c.Kind, Value: c.Value}
	}
	row.Actions.V = make([]actionJSON, len(r.Actions))
	for i, a := range r.Actions {
		row.Actions.V[i] = actionJSON{Type: a.Kind, QueueID: a.QueueID, TagIDs: a.TagIDs, Priority: a.Priority,
			AgentID: a.AgentID, Text: a.Text}
	}
	return row
}

func (r *routingRuleRow) toDomain() *domain.RoutingRule {
	out := &domain.RoutingRule{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Position: r.Position,
		Continue: r.Continue, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
		Conditions: make([]routing.Condition, len(r.Conditions.V)), Actions: make([]routing.Action, len(r.Actions.V))}
	for i, c := range r.Conditions.V {
		out.Conditions[i] = routing.Condition{Kind: c.Type, Value: c.Value}
	}
	for i, a := range r.Actions.V {
		out.Actions[i] = routing.Action{Kind: a.Type, QueueID: a.QueueID, TagIDs: a.TagIDs, Priority: a.Priority,
			AgentID: a.AgentID, Text: a.Text}
	}
	return out
}

// CreateRoutingRule stores a rule in the caller's workspace.
func (s *Store) CreateRoutingRule(ctx context.Context, r *domain.RoutingRule) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&r.WorkspaceID, ws); err != nil {
		return err
	}
	row := routingRuleFromDomain(r)
	return writeError(db.Create(&row).Error, "routing rule")
}

// FindRoutingRule returns one rule of the caller's workspace.
func (s *Store) FindRoutingRule(ctx context.Context, id string) (*domain.RoutingRule, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row routingRuleRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "routing rule")
	}
	return row.toDomain(), nil
}

// FindRoutingRules lists the workspace's rules in evaluation order.
func (s *Store) FindRoutingRules(ctx context.Context) ([]*domain.RoutingRule, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []routingRuleRow
	if err := db.Where("workspace_id = ?", ws).Order("position, created_at, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "routing rule")
	}
	out := make([]*domain.RoutingRule, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// UpdateRoutingRule writes every field of a rule.
func (s *Store) UpdateRoutingRule(ctx context.Context, r *domain.RoutingRule) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := routingRuleFromDomain(r)
	res := db.Table("routing_rules").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "position": row.Position, "conditions": row.Conditions, "actions": row.Actions,
		"continue": row.Continue, "updated_at": row.UpdatedAt})
	return updated(res, "routing rule")
}

// DeleteRoutingRule removes a rule.
func (s *Store) DeleteRoutingRule(ctx context.Context, id string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Where("id = ? AND workspace_id = ?", id, ws).Delete(&routingRuleRow{})
	if res.Error != nil {
		return deleteError(res.Error, "routing rule")
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("routing rule")
	}
	return nil
}
