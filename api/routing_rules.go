package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	rules "github.com/centralita/centralita/domain/routing"
)

func (h *handlers) registerRoutingRules(g *gin.RouterGroup) {
	g.GET("/routing-rules", h.listRoutingRules)
	g.POST("/routing-rules", h.createRoutingRule)
	g.GET("/routing-rules/:id", h.getRoutingRule)
	g.PATCH("/routing-rules/:id", h.updateRoutingRule)
	g.DELETE("/routing-rules/:id", h.deleteRoutingRule)
	g.POST("/routing/explain", h.explainRouting)
}

type ruleConditionBody struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type ruleActionBody struct {
	Type     string   `json:"type"`
	QueueID  *string  `json:"queue_id,omitempty"`
	TagIDs   []string `json:"tag_ids,omitempty"`
	Priority *string  `json:"priority,omitempty"`
	AgentID  *string  `json:"agent_id,omitempty"`
	Text     *string  `json:"text,omitempty"`
}

type routingRuleView struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Position   int                 `json:"position"`
	Conditions []ruleConditionBody `json:"conditions"`
	Actions    []ruleActionBody    `json:"actions"`
	Continue   bool                `json:"continue"`
	CreatedAt  timestamp           `json:"created_at"`
	UpdatedAt  timestamp           `json:"updated_at"`
}

func viewRoutingRule(r *domain.RoutingRule) routingRuleView {
	v := routingRuleView{ID: r.ID, Name: r.Name, Position: r.Position, Continue: r.Continue,
		Conditions: make([]ruleConditionBody, len(r.Conditions)), Actions: make([]ruleActionBody, len(r.Actions)),
		CreatedAt: stamp(r.CreatedAt), UpdatedAt: stamp(r.UpdatedAt)}
	for i, c := range r.Conditions {
		v.Conditions[i] = ruleConditionBody{Type: c.Kind, Value: c.Value}
	}
	for i, a := range r.Actions {
		v.Actions[i] = ruleActionBody{Type: a.Kind, QueueID: nullable(a.QueueID), TagIDs: a.TagIDs,
			Priority: nullable(a.Priority), AgentID: nullable(a.AgentID), Text: nullable(a.Text)}
	}
	return v
}

type routingRuleRequest struct {
	Name       *string              `json:"name"`
	Position   *int                 `json:"position"`
	Conditions *[]ruleConditionBody `json:"conditions"`
	Actions    *[]ruleActionBody    `json:"actions"`
	Continue   *bool                `json:"continue"`
}

func (r routingRuleRequest) toDomain() domain.RoutingRuleInput {
	in := domain.RoutingRuleInput{Name: r.Name, Position: r.Position, Continue: r.Continue}
	if r.Conditions != nil {
		conds := make([]rules.Condition, len(*r.Conditions))
		for i, c := range *r.Conditions {
			conds[i] = rules.Condition{Kind: c.Type, Value: c.Value}
		}
		in.Conditions = &conds
	}
	if r.Actions != nil {
		actions := make([]rules.Action, len(*r.Actions))
		for i, a := range *r.Actions {
			actions[i] = rules.Action{Kind: a.Type, QueueID: deref(a.QueueID), TagIDs: a.TagIDs,
				Priority: deref(a.Priority), AgentID: deref(a.AgentID), Text: deref(a.Text)}
		}
		in.Actions = &actions
	}
	return in
}

func renderRoutingRule(c *gin.Context, status int, r *domain.RoutingRule, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewRoutingRule(r))
}

func (h *handlers) listRoutingRules(c *gin.Context) {
	rules, err := h.svc.RoutingRules(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, rules, viewRoutingRule)
}

func (h *handlers) createRoutingRule(c *gin.Context) {
	var req routingRuleRequest
	if !decodeBody(c, &req) {
		return
	}
	r, err := h.svc.CreateRoutingRule(c.Request.Context(), req.toDomain())
	renderRoutingRule(c, http.StatusCreated, r, err)
}

func (h *handlers) getRoutingRule(c *gin.Context) {
	r, err := h.svc.RoutingRule(c.Request.Context(), c.Param("id"))
	renderRoutingRule(c, http.StatusOK, r, err)
}

func (h *handlers) updateRoutingRule(c *gin.Context) {
	var req routingRuleRequest
	if !decodeBody(c, &req) {
		return
	}
	r, err := h.svc.UpdateRoutingRule(c.Request.Context(), c.Param("id"), req.toDomain())
	renderRoutingRule(c, http.StatusOK, r, err)
}

func (h *handlers) deleteRoutingRule(c *gin.Context) {
	if err := h.svc.DeleteRoutingRule(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type explainRequest struct {
	ChannelID *string   `json:"channel_id" required:"true"`
	From      *string   `json:"from" required:"true"`
	Text      string    `json:"text"`
	At        *jsonTime `json:"at"`
}

type explainStepView struct {
	Kind    string  `json:"kind"`
	RuleID  *string `json:"rule_id"`
	Matched bool    `json:"matched"`
	Stopped bool    `json:"stopped"`
	Reason  string  `json:"reason"`
}

type explainView struct {
	QueueID    string            `json:"queue_id"`
	TagIDs     []string          `json:"tag_ids"`
	Priority   string            `json:"priority"`
	RuleID     *string           `json:"rule_id"`
	MenuOption *string           `json:"menu_option"`
	Steps      []explainStepView `json:"steps"`
}

func (h *handlers) explainRouting(c *gin.Context) {
	var req explainRequest
	if !decodeBody(c, &req) {
		return
	}
	in := domain.ExplainInput{ChannelID: *req.ChannelID, From: *req.From, Text: req.Text}
	if t := timePtr(req.At); t != nil {
		in.At = *t
	}
	ex, err := h.svc.ExplainRouting(c.Request.Context(), in)
	if err != nil {
		fail(c, err)
		return
	}
	v := explainView{QueueID: ex.QueueID, TagIDs: ids(ex.TagIDs), Priority: string(ex.Priority),
		RuleID: nullable(ex.RuleID), MenuOption: nullable(ex.MenuOption), Steps: make([]explainStepView, len(ex.Steps))}
	for i, s := range ex.Steps {
		v.Steps[i] = explainStepView{Kind: s.Kind, RuleID: nullable(s.RuleID), Matched: s.Matched, Stopped: s.Stopped,
			Reason: s.Reason}
	}
	respond(c, http.StatusOK, v)
}
