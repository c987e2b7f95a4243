package api

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// failGraphQL answers a request /graphql refused before GraphQL ran
// (authentication, mostly) in GraphQL's shape, as GraphQL over HTTP
// clients expect: the status REST would use, and
// {"errors":[{"message":…,"extensions":{"code":"UNAUTHENTICATED"}}]}.
// The headers are REST's: WWW-Authenticate on 401, Retry-After when set.
func failGraphQL(c *gin.Context, err error) {
	p := newProblem(err, domain.RequestID(c.Request.Context()))
	if p.Code == domain.CodeInternal || p.Code == domain.CodeUnavailable {
		fail(c, err) // logs the cause; its body names no implementation either
		return
	}
	if p.Code == domain.CodeUnauthenticated {
		c.Header("WWW-Authenticate", `Bearer realm="centralita"`)
	}
	if e, ok := domain.AsError(err); ok && e.RetryAfterSeconds > 0 {
		c.Header("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	c.Abort()
	c.JSON(p.Status, gin.H{"errors": []gin.H{{"message": p.Detail,
		"extensions": gin.H{"code": graphQLCode(p.Code), "requestId": p.RequestID}}}})
}

// graphQLCode spells a domain code the way graph's extensions.code does
// (graph/errors.go: UPPER_SNAKE, invalid is BAD_USER_INPUT). api cannot
// import graph, so the two renames are repeated here.
func graphQLCode(code domain.Code) string {
	switch code {
	case domain.CodeInvalid:
		return "BAD_USER_INPUT"
	case domain.CodeInternal:
		return "INTERNAL_SERVER_ERROR"
	}
	return strings.ToUpper(string(code))
}
