package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

func (h *handlers) registerChannels(g *gin.RouterGroup) {
	g.GET("/channels", h.listChannels)
	g.POST("/channels", h.createChannel)
	g.GET("/channels/:id", h.getChannel)
	g.PATCH("/channels/:id", h.updateChannel)
	g.DELETE("/channels/:id", h.deleteChannel)
}

type channelView struct {
	ID                 string     `json:"id"`
	Name               string     `json:"name"`
	PhoneNumberID      string     `json:"phone_number_id"`
	WABAID             string     `json:"waba_id"`
	DisplayPhoneNumber string     `json:"display_phone_number"`
	Mode               string     `json:"mode"`
	HasAccessToken     bool       `json:"has_access_token"`
	HasAppSecret       bool       `json:"has_app_secret"`
	RedirectText       string     `json:"redirect_text"`
	RedirectEveryHours int        `json:"redirect_every_hours"`
	RedirectUntil      *timestamp `json:"redirect_until"`
	DefaultQueueID     *string    `json:"default_queue_id"`
	CreatedAt          timestamp  `json:"created_at"`
	UpdatedAt          timestamp  `json:"updated_at"`
}

func viewChannel(ch *domain.Channel) channelView {
	return channelView{ID: ch.ID, Name: ch.Name, PhoneNumberID: ch.PhoneNumberID, WABAID: ch.WABAID,
		DisplayPhoneNumber: ch.DisplayPhoneNumber, Mode: string(ch.Mode), HasAccessToken: ch.AccessTokenSealed != "",
		HasAppSecret: ch.AppSecretSealed != "", RedirectText: ch.RedirectText,
		RedirectEveryHours: int(ch.RedirectEvery / time.Hour), RedirectUntil: optionalStamp(ch.RedirectUntil),
		DefaultQueueID: nullable(ch.DefaultQueueID), CreatedAt: stamp(ch.CreatedAt),
		UpdatedAt: stamp(ch.UpdatedAt)}
}

type createChannelRequest struct {
	Name               *string             `json:"name"`
	PhoneNumberID      *string             `json:"phone_number_id" required:"true"`
	WABAID             *string             `json:"waba_id" required:"true"`
	DisplayPhoneNumber *string             `json:"display_phone_number" required:"true"`
	Mode               *domain.ChannelMode `json:"mode"`
	AccessToken        *string             `json:"access_token"`
	AppSecret          *string             `json:"app_secret"`
	RedirectText       *string             `json:"redirect_text"`
	RedirectEveryHours *int                `json:"redirect_every_hours"`
	RedirectUntil      *time.Time          `json:"redirect_until"`
	DefaultQueueID     *string             `json:"default_queue_id"`
}

type updateChannelRequest struct {
	Name               *string             `json:"name"`
	PhoneNumberID      *string             `json:"phone_number_id"`
	WABAID             *string             `json:"waba_id"`
	DisplayPhoneNumber *string             `json:"display_phone_number"`
	Mode               *domain.ChannelMode `json:"mode"`
	AccessToken        *string             `json:"access_token"`
	AppSecret          *string             `json:"app_secret"`
	RedirectText       *string             `json:"redirect_text"`
	RedirectEveryHours *int                `json:"redirect_every_hours"`
	RedirectUntil      *time.Time          `json:"redirect_until"`
	DefaultQueueID     *string             `json:"default_queue_id"`
}

func (h *handlers) listChannels(c *gin.Context) {
	channels, err := h.svc.Channels(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	renderAll(c, channels, viewChannel)
}

func (h *handlers) createChannel(c *gin.Context) {
	var req createChannelRequest
	if !decodeBody(c, &req) {
		return
	}
	ch, err := h.svc.CreateChannel(c.Request.Context(), domain.ChannelInput{Name: req.Name,
		PhoneNumberID: req.PhoneNumberID, WABAID: req.WABAID, DisplayPhoneNumber: req.DisplayPhoneNumber, Mode: req.Mode,
		AccessToken: req.AccessToken, AppSecret: req.AppSecret, RedirectText: req.RedirectText,
		RedirectEveryHours: req.RedirectEveryHours, RedirectUntil: req.RedirectUntil, DefaultQueueID: req.DefaultQueueID})
	renderChannel(c, http.StatusCreated, ch, err)
}

func (h *handlers) getChannel(c *gin.Context) {
	ch, err := h.svc.Channel(c.Request.Context(), c.Param("id"))
	renderChannel(c, http.StatusOK, ch, err)
}

func (h *handlers) updateChannel(c *gin.Context) {
	var req updateChannelRequest
	if !decodeBody(c, &req) {
		return
	}
	ch, err := h.svc.UpdateChannel(c.Request.Context(), c.Param("id"), domain.ChannelInput{Name: req.Name,
		PhoneNumberID: req.PhoneNumberID, WABAID: req.WABAID, DisplayPhoneNumber: req.DisplayPhoneNumber, Mode: req.Mode,
		AccessToken: req.AccessToken, AppSecret: req.AppSecret, RedirectText: req.RedirectText,
		RedirectEveryHours: req.RedirectEveryHours, RedirectUntil: req.RedirectUntil, DefaultQueueID: req.DefaultQueueID})
	renderChannel(c, http.StatusOK, ch, err)
}

func (h *handlers) deleteChannel(c *gin.Context) {
	if err := h.svc.DeleteChannel(c.Request.Context(), c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func renderChannel(c *gin.Context, status int, ch *domain.Channel, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, status, viewChannel(ch))
}
