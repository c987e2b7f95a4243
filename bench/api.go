package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// apiClient talks to the server's REST and GraphQL APIs with the demo key.
type apiClient struct {
	base   string
	key    string
	client *http.Client
}

// do sends one request and returns the status and body; a request that
// got no answer returns the error kind as an error.
func (a *apiClient) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, reader)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// outcome turns a request's answer into an Outcome. A GraphQL answer
// with errors counts as "graphql_error" even when its status is 200.
func outcome(status int, body []byte, err error, graphql bool) Outcome {
	if err != nil {
		return Outcome{Err: classify(err)}
	}
	if graphql && status == http.StatusOK && bytes.Contains(body, []byte(`"errors":[`)) {
		return Outcome{Err: "graphql_error"}
	}
	return Outcome{Status: status, Items: 1}
}

// getJSON decodes a successful GET into v.
func (a *apiClient) getJSON(ctx context.Context, path string, v any) error {
	status, body, err := a.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("bench: GET %s answered %d: %s", path, status, body)
	}
	return json.Unmarshal(body, v)
}

// graphql runs a query and decodes data into v (when v is not nil).
func (a *apiClient) graphql(ctx context.Context, query string, vars map[string]any, v any) error {
	status, body, err := a.do(ctx, http.MethodPost, "/graphql", map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK || len(res.Errors) > 0 {
		return fmt.Errorf("bench: GraphQL answered %d: %s", status, body)
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(res.Data, v)
}
