package api

import (
	"errors"
	"net/http"
	"testing"

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
