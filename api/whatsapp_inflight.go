package api

import (
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/centralita/centralita/domain"
)

// overloadRetryAfterSeconds is the Retry-After of a delivery refused for
// overload. Meta retries refused deliveries with its own backoff anyway;
// the header says the refusal is temporary.
const overloadRetryAfterSeconds = 1

var errOverloaded = &domain.Error{Code: domain.CodeUnavailable, RetryAfterSeconds: overloadRetryAfterSeconds,
	Message: "too many deliveries in progress; retry later"}

// limitInFlight lets at most n deliveries be worked on at once (n <= 0: no
// limit). One more is refused at once with 503 and Retry-After, before its
// body is read, instead of waiting: past the database's capacity, queueing
// only adds latency and memory until every request times out, while Meta
// retries a refused delivery, and nothing of it was acknowledged or
// written. The slot is taken before the body is read, so memory stays
// bounded by n bodies; the server's read timeout bounds a slow sender.
func limitInFlight(n int, inFlight prometheus.Gauge) gin.HandlerFunc {
	var slots chan struct{}
	if n > 0 {
		slots = make(chan struct{}, n)
	}
	return func(c *gin.Context) {
		if slots != nil {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			default:
				tallyOf(c).overloaded = true
				fail(c, errOverloaded)
				return
			}
		}
		inFlight.Inc()
		defer inFlight.Dec()
		c.Next()
	}
}
