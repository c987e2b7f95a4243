package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/ratelimit"
)

// Rate-limit header fields (draft-ietf-httpapi-ratelimit-headers): the
// quotas that apply and what is left of each.
const (
	headerRateLimitPolicy = "RateLimit-Policy"
	headerRateLimit       = "RateLimit"
)

// rateLimit counts an authenticated request against its caller's and its
// workspace's per-minute quotas (one database round trip, or none once
// the caller was refused in this window), tells the caller what is left,
// and refuses with 429 when a quota is spent. refuse renders the refusal
// (problem+json on REST, a GraphQL error on /graphql).
func rateLimit(svc *domain.Service, refuse func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		d, err := svc.TakeRequest(c.Request.Context())
		setRateHeaders(c.Writer.Header(), d)
		if err != nil {
			refuse(c, err)
			return
		}
		c.Next()
	}
}

// setRateHeaders writes the RateLimit-Policy and RateLimit fields of d,
// nothing when no quota applies.
func setRateHeaders(h http.Header, d ratelimit.Decision) {
	if len(d.Statuses) == 0 {
		return
	}
	h.Set(headerRateLimitPolicy, ratelimit.PolicyField(d.Statuses))
	h.Set(headerRateLimit, ratelimit.LimitField(d.Statuses))
}

// refuseGraphQL answers a refused /graphql request as GraphQL over HTTP
// does: a JSON body with one error whose extensions.code is RATE_LIMITED,
// status 429 and Retry-After. Other failures (an outage) stay problems.
func refuseGraphQL(c *gin.Context, err error) {
	e, ok := domain.AsError(err)
	if !ok || e.Code != domain.CodeRateLimited {
		fail(c, err)
		return
	}
	c.Header("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"data": nil, "errors": []gin.H{{
		"message": e.Message,
		"extensions": gin.H{"code": "RATE_LIMITED", "retryAfterSeconds": e.RetryAfterSeconds,
			"requestId": domain.RequestID(c.Request.Context())},
	}}})
}
