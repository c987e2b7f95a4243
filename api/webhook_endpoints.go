package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerWebhookEndpoints(g *gin.RouterGroup) {
	g.GET("/webhook-event-types", h.listWebhookEventTypes)
	g.GET("/webhook-endpoints", h.listWebhookEndpoints)
	g.POST("/webhook-endpoints", h.createWebhookEndpoint)
	g.GET("/webhook-endpoints/:id", h.getWebhookEndpoint)
	g.PATCH("/webhook-endpoints/:id", h.updateWebhookEndpoint)
	g.DELETE("/webhook-endpoints/:id", h.deleteWebhookEndpoint)
	g.POST("/webhook-endpoints/:id/rotate-secret", h.rotateWebhookSecret)
	g.GET("/webhook-endpoints/:id/deliveries", h.listWebhookDeliveries)
	g.POST("/webhook-endpoints/:id/replay", h.replayWebhook)
	g.POST("/webhook-endpoints/:id/test", h.testWebhook)
}

// webhookEndpointView never carries a secret: it is shown once, when
// created or rotated.
type webhookEndpointView struct {
	ID                      string     `json:"id"`
	URL                     string     `json:"url"`
	Description             string     `json:"description"`
	EventTypes              []string   `json:"event_types"`
	Enabled                 bool       `json:"enabled"`
	DisabledReason          *string    `json:"disabled_reason"`
	PreviousSecretExpiresAt *timestamp `json:"previous_secret_expires_at"`
	FailingSince            *timestamp `json:"failing_since"`
	CreatedAt               timestamp  `json:"created_at"`
	UpdatedAt               timestamp  `json:"updated_at"`
}

func viewWebhookEndpoint(e *domain.WebhookEndpoint) webhookEndpointView {
	var previous *timestamp
	if e.SealedPreviousSecret != "" {
		previous = optionalStamp(e.PreviousSecretExpiresAt)
	}
	return webhookEndpointView{ID: e.ID, URL: e.URL, Description: e.Description, EventTypes: e.EventTypes,
		Enabled: e.Enabled, DisabledReason: nullable(e.DisabledReason), PreviousSecretExpiresAt: previous,
		FailingSince: optionalStamp(e.FailingSince), CreatedAt: stamp(e.CreatedAt), UpdatedAt: stamp(e.UpdatedAt)}
}

// createdWebhookEndpointView is the only answer that shows the secret.
type createdWebhookEndpointView struct {
	webhookEndpointView
	Secret string `json:"secret"`
}

type createWebhookEndpointRequest struct {
	URL         *string   `json:"url" required:"true"`
	EventTypes  *[]string `json:"event_types" required:"true"`
	Description *string   `json:"description"`
}

type updateWebhookEndpointRequest struct {
	URL         *string   `json:"url"`
	EventTypes  *[]string `json:"event_types"`
	Description *string   `json:"description"`
	Enabled     *bool     `json:"enabled"`
}

type rotateWebhookSecretRequest struct {
	OverlapSeconds *int64 `json:"overlap_seconds"`
}

type replayWebhookRequest struct {
	EventID *string   `json:"event_id"`
	Since   *jsonTime `json:"since"`
	Until   *jsonTime `json:"until"`
}

type webhookDeliveryView struct {
	ID              string     `json:"id"`
	EventID         string     `json:"event_id"`
	EventType       string     `json:"event_type"`
	Replay          bool       `json:"replay"`
	Attempt         int        `json:"attempt"`
	State           string     `json:"state"`
	StatusCode      *int       `json:"status_code"`
	LatencyMS       int64      `json:"latency_ms"`
	ResponseExcerpt string     `json:"response_excerpt"`
	Error           *string    `json:"error"`
	NextRetryAt     *timestamp `json:"next_retry_at"`
	CreatedAt       timestamp  `json:"created_at"`
}

func viewWebhookDelivery(d *domain.WebhookDelivery) webhookDeliveryView {
	var status *int
	if d.StatusCode != 0 {
		status = &d.StatusCode
	}
	return webhookDeliveryView{ID: d.ID, EventID: d.EventID, EventType: d.EventType, Replay: d.Key != "",
		Attempt: d.Attempt, State: string(d.State), StatusCode: status, LatencyMS: d.Latency.Milliseconds(),
		ResponseExcerpt: d.ResponseExcerpt, Error: nullable(d.Error), NextRetryAt: optionalStamp(d.NextRetryAt),
		CreatedAt: stamp(d.CreatedAt)}
}

func (h *handlers) listWebhookEventTypes(c *gin.Context) {
	if _, err := h.svc.WebhookEndpoints(c.Request.Context()); err != nil {
		fail(c, err) // admins only, like the endpoints
		return
	}
	renderAll(c, domain.KnownEventTypes(), func(t string) string { return t })
}

func (h *handlers) listWebhookEndpoints(c *gin.Context) {
	endpoints, err := h.svc.WebhookEndpoints(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, endpoints, viewWebhookEndpoint)
}

func (h *handlers) createWebhookEndpoint(c *gin.Context) {
	var req createWebhookEndpointRequest
	if !decodeBody(c, &req) {
		return
	}
	created, err := h.svc.CreateWebhookEndpoint(c.Request.Context(), domain.NewWebhookEndpoint{URL: *req.URL,
		EventTypes: *req.EventTypes, Description: deref(req.Description)})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusCreated, createdWebhookEndpointView{webhookEndpointView: viewWebhookEndpoint(&created.Endpoint),
		Secret: created.Secret})
}

func (h *handlers) getWebhookEndpoint(c *gin.Context) {
	e, err := h.svc.WebhookEndpoint(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewWebhookEndpoint(e))
}

func (h *handlers) updateWebhookEndpoint(c *gin.Context) {
	var req updateWebhookEndpointRequest
	if !decodeBody(c, &req) {
		return
	}
	e, err := h.svc.UpdateWebhookEndpoint(c.Request.Context(), c.Param("id"), domain.WebhookEndpointPatch{
		URL: req.URL, EventTypes: req.EventTypes, Description: req.Description, Enabled: req.Enabled})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, viewWebhookEndpoint(e))
}

func (h *handlers) deleteWebhookEndpoint(c *gin.Context) {
	if err := h.svc.DeleteWebhookEndpoint(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *handlers) rotateWebhookSecret(c *gin.Context) {
	var req rotateWebhookSecretRequest
	if c.Request.ContentLength != 0 && !decodeBody(c, &req) {
		return
	}
	var overlap *time.Duration
	if req.OverlapSeconds != nil {
		d := time.Duration(*req.OverlapSeconds) * time.Second
		if *req.OverlapSeconds < 0 || *req.OverlapSeconds > int64(domain.MaxSecretOverlap/time.Second) {
			d = -1 // the domain refuses it with the field's name
		}
		overlap = &d
	}
	created, err := h.svc.RotateWebhookSecret(c.Request.Context(), c.Param("id"), overlap)
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusOK, createdWebhookEndpointView{webhookEndpointView: viewWebhookEndpoint(&created.Endpoint),
		Secret: created.Secret})
}

func (h *handlers) listWebhookDeliveries(c *gin.Context) {
	page, err := pageRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	deliveries, err := h.svc.WebhookDeliveries(c.Request.Context(), c.Param("id"), page)
	if err != nil {
		fail(c, err)
		return
	}
	renderPage(c, deliveries, viewWebhookDelivery)
}

func (h *handlers) replayWebhook(c *gin.Context) {
	var req replayWebhookRequest
	if !decodeBody(c, &req) {
		return
	}
	n, err := h.svc.ReplayWebhook(c.Request.Context(), c.Param("id"), domain.WebhookReplay{EventID: deref(req.EventID),
		Since: timePtr(req.Since), Until: timePtr(req.Until)})
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusAccepted, gin.H{"enqueued": n})
}

func (h *handlers) testWebhook(c *gin.Context) {
	ev, err := h.svc.TestWebhook(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusAccepted, gin.H{"event_id": ev.ID, "type": ev.Type})
}
