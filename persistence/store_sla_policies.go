package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

type escalationJSON struct {
	Action        string   `json:"action"`
	QueueID       string   `json:"queue_id,omitempty"`
	TagID         string   `json:"tag_id,omitempty"`
	NotifyUserIDs []string `json:"notify_user_ids,omitempty"`
}

type slaPolicyRow struct {
	ID                   string                     `gorm:"column:id;primaryKey"`
	WorkspaceID          string                     `gorm:"column:workspace_id"`
	Name                 string                     `gorm:"column:name"`
	FirstResponseSeconds *int64                     `gorm:"column:first_response_seconds"`
	NextResponseSeconds  *int64                     `gorm:"column:next_response_seconds"`
	ResolutionSeconds    *int64                     `gorm:"column:resolution_seconds"`
	WarningRatio         float64                    `gorm:"column:warning_ratio"`
	Escalation           jsonColumn[escalationJSON] `gorm:"column:escalation"`
	CreatedAt            utcTime                    `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt            utcTime                    `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (slaPolicyRow) TableName() string { return "sla_policies" }

// seconds is a target as stored: NULL when it is not measured.
func seconds(d time.Duration) *int64 {
	if d <= 0 {
		return nil
	}
	s := int64(d / time.Second)
	return &s
}

func duration(s *int64) time.Duration {
	if s == nil {
		return 0
	}
	return time.Duration(*s) * time.Second
}

func slaPolicyFromDomain(p *domain.SLAPolicy) slaPolicyRow {
	r := slaPolicyRow{ID: p.ID, WorkspaceID: p.WorkspaceID, Name: p.Name,
		FirstResponseSeconds: seconds(p.FirstResponse), NextResponseSeconds: seconds(p.NextResponse),
		ResolutionSeconds: seconds(p.Resolution), WarningRatio: p.WarningRatio,
		CreatedAt: storedTime(&p.CreatedAt), UpdatedAt: storedTime(&p.UpdatedAt)}
	e := p.Escalation
	r.Escalation.V = escalationJSON{Action: string(e.Action), QueueID: e.QueueID, TagID: e.TagID,
		NotifyUserIDs: e.NotifyUserIDs}
	return r
}

func (r *slaPolicyRow) toDomain() *domain.SLAPolicy {
	e := r.Escalation.V
	notify := e.NotifyUserIDs
	if notify == nil {
		notify = []string{}
	}
	return &domain.SLAPolicy{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name,
		FirstResponse: duration(r.FirstResponseSeconds), NextResponse: duration(r.NextResponseSeconds),
		Resolution: duration(r.ResolutionSeconds), WarningRatio: r.WarningRatio,
		Escalation: domain.Escalation{Action: domain.EscalationAction(e.Action), QueueID: e.QueueID,
			TagID: e.TagID, NotifyUserIDs: notify},
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

// CreateSLAPolicy stores a policy in the caller's workspace.
func (s *Store) CreateSLAPolicy(ctx context.Context, p *domain.SLAPolicy) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&p.WorkspaceID, ws); err != nil {
		return err
	}
	row := slaPolicyFromDomain(p)
	return writeError(db.Create(&row).Error, "SLA policy")
}

// FindSLAPolicy returns one policy of the caller's workspace.
func (s *Store) FindSLAPolicy(ctx context.Context, id string) (*domain.SLAPolicy, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row slaPolicyRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "SLA policy")
	}
	return row.toDomain(), nil
}

// FindSLAPolicies lists the workspace's policies by name.
func (s *Store) FindSLAPolicies(ctx context.Context) ([]*domain.SLAPolicy, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []slaPolicyRow
	if err := db.Where("workspace_id = ?", ws).Order("name, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "SLA policy")
	}
	out := make([]*domain.SLAPolicy, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// UpdateSLAPolicy rewrites a policy of the caller's workspace.
func (s *Store) UpdateSLAPolicy(ctx context.Context, p *domain.SLAPolicy) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := slaPolicyFromDomain(p)
	res := db.Table("sla_policies").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "first_response_seconds": row.FirstResponseSeconds,
		"next_response_seconds": row.NextResponseSeconds, "resolution_seconds": row.ResolutionSeconds,
		"warning_ratio": row.WarningRatio, "escalation": row.Escalation, "updated_at": row.UpdatedAt,
	})
	return updated(res, "SLA policy")
}

// DeleteSLAPolicy removes a policy; it refuses while a queue uses it.
func (s *Store) DeleteSLAPolicy(ctx context.Context, id string) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := refuseWhileUsed(db, "queues", "sla_policy_id", ws, id,
			"queues still use this SLA policy; point them elsewhere first"); err != nil {
			return err
		}
		return deleted(db.Where("id = ? AND workspace_id = ?", id, ws).Delete(&slaPolicyRow{}), "SLA policy")
	})
}
