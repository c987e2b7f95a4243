package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

func TestEveryDomainCodeHasAStatus(t *testing.T) {
	want := map[domain.Code]int{
		domain.CodeInvalid: 400, domain.CodeNotFound: 404, domain.CodeConflict: 409,
		domain.CodeUnauthenticated: 401, domain.CodeForbidden: 403, domain.CodePreconditionFailed: 412,
		domain.CodeUnprocessable: 422,
		domain.CodeRateLimited:   429, domain.CodeUnavailable: 503, domain.CodeInternal: 500,
	}
	for code, status := range want {
		require.Equal(t, status, StatusFor(code), code)
	}
	require.Equal(t, http.StatusInternalServerError, StatusFor("made_up"))
}

func TestProblemHidesInternalErrors(t *testing.T) {
	p := newProblem(errors.New("pq: relation users does not exist"), "req_1")
	require.Equal(t, domain.CodeInternal, p.Code)
	require.Equal(t, 500, p.Status)
	require.NotContains(t, p.Detail, "pq")
}

func TestProblemNamesTheField(t *testing.T) {
	p := newProblem(domain.FieldError("close_reason", "closing needs a close_reason"), "req_1")
	require.Equal(t, 400, p.Status)
	require.Equal(t, "urn:centralita:problem:invalid", p.Type)
	require.Equal(t, []problemField{{Field: "close_reason", Message: "closing needs a close_reason"}}, p.Errors)
	require.Equal(t, "req_1", p.RequestID)
}

// A client that hangs up is no server error: it is recorded as 499 and
// not logged as a failure.
func TestAClientThatGaveUpIsNotAServerError(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reg := prometheus.NewRegistry()
	r := gin.New()
	r.Use(requestID(logger), accessLog(logger, registerOnce(reg, durationHistogram())))
	r.GET("/slow", func(c *gin.Context) {
		ctx, cancel := context.WithCancel(c.Request.Context())
		c.Request = c.Request.WithContext(ctx)
		cancel() // the client went away while the database was working
		fail(c, fmt.Errorf("persistence: %w", ctx.Err()))
	})
	res := httptest.NewRecorder()
	r.ServeHTTP(res, httptest.NewRequest(http.MethodGet, "/slow", nil))
	require.Equal(t, StatusClientClosedRequest, res.Code)
	require.NotContains(t, logs.String(), "request failed")
	require.NotContains(t, logs.String(), `"level":"ERROR"`)
	families, err := reg.Gather()
	require.NoError(t, err)
	require.Len(t, families, 1)
	require.Equal(t, "499", labelValue(families[0].GetMetric()[0].GetLabel(), "status"))
}

func labelValue(labels []*dto.LabelPair, name string) string {
	for _, l := range labels {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
