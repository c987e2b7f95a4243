package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// InboxOptions size the inbox scenario's seed.
type InboxOptions struct {
	Conversations int
	MessagesPer   int
}

const inboxQuery = `query($after: String, $filter: ConversationFilter) {
  conversations(first: 50, after: $after, filter: $filter) {
    edges { cursor node { id status priority lastActivityAt
      contact { id name waId } assignee { id name } queue { id name } tags { id name }
      lastMessage { id text direction createdAt } } }
    pageInfo { endCursor hasNextPage } } }`

// inboxRequest is one kind of inbox read, sent the same way every time.
type inboxRequest struct {
	name    string
	graphql map[string]any // variables, for GraphQL
	rest    string         // path, for REST
}

// inbox measures each inbox read in turn over the seeded database: its
// SQL statements per request (sequentially, from the server's counter)
// and its latency under open-loop load at --rate.
func (o Options) inbox(ctx context.Context, t *Target) ([]Result, error) {
	client := newClient(256)
	api := &apiClient{base: t.URL, key: DemoAPIKey, client: client}
	requests, err := inboxRequests(ctx, api)
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, req := range requests {
		do := func(ctx context.Context) Outcome {
			if req.rest != "" {
				status, body, err := api.do(ctx, http.MethodGet, req.rest, nil)
				return outcome(status, body, err, false)
			}
			status, body, err := api.do(ctx, http.MethodPost, "/graphql", map[string]any{"query": inboxQuery, "variables": req.graphql})
			return outcome(status, body, err, true)
		}
		stmts, err := statementsPerRequest(ctx, api, do)
		if err != nil {
			return results, err
		}
		load := Load{Rate: o.Rate, Count: max(1, int(o.Rate*o.Duration.Seconds())), Timeout: o.Timeout,
			Do: func(ctx context.Context, _ int) Outcome { return do(ctx) }}
		watch := watchProcess(t.PID)
		samples, wall := load.Run(ctx)
		r := Result{Scenario: "inbox", Variant: req.name, Database: t.Database(), Rate: o.Rate, Statement: stmts}
		summarize(&r, samples, wall, nil)
		r.Server = watch.done()
		results = append(results, r)
	}
	return results, nil
}

// inboxRequests are the reads measured; the second pages use the cursors
// of the first.
func inboxRequests(ctx context.Context, api *apiClient) ([]inboxRequest, error) {
	var gql struct {
		Conversations struct {
			Edges []struct {
				Node struct {
					Queue *struct{ ID string } `json:"queue"`
				} `json:"node"`
			} `json:"edges"`
			PageInfo struct{ EndCursor string } `json:"pageInfo"`
		} `json:"conversations"`
	}
	if err := api.graphql(ctx, inboxQuery, map[string]any{}, &gql); err != nil {
		return nil, err
	}
	queue := ""
	for _, e := range gql.Conversations.Edges {
		if e.Node.Queue != nil {
			queue = e.Node.Queue.ID
		}
	}
	var rest struct {
		NextCursor *string `json:"next_cursor"`
	}
	if err := api.getJSON(ctx, "/v1/conversations?limit=50", &rest); err != nil {
		return nil, err
	}
	restCursor := ""
	if rest.NextCursor != nil {
		restCursor = *rest.NextCursor
	}
	// A name fragment a few contacts carry, and one nobody does.
	const hit, miss = "Castro 4242", "zzqx-nadie"
	return []inboxRequest{
		{name: "graphql-page", graphql: map[string]any{}},
		{name: "graphql-page2", graphql: map[string]any{"after": gql.Conversations.PageInfo.EndCursor}},
		{name: "graphql-status-queue", graphql: map[string]any{"filter": map[string]any{"status": []string{"OPEN"}, "queueId": queue}}},
		{name: "graphql-search", graphql: map[string]any{"filter": map[string]any{"text": hit}}},
		{name: "graphql-search-miss", graphql: map[string]any{"filter": map[string]any{"text": miss}}},
		{name: "rest-page", rest: "/v1/conversations?limit=50"},
		{name: "rest-page2", rest: "/v1/conversations?limit=50&cursor=" + url.QueryEscape(restCursor)},
		{name: "rest-status-queue", rest: "/v1/conversations?limit=50&status=open&queue_id=" + url.QueryEscape(queue)},
		{name: "rest-search", rest: "/v1/conversations?limit=50&q=" + url.QueryEscape(hit)},
		{name: "rest-search-miss", rest: "/v1/conversations?limit=50&q=" + url.QueryEscape(miss)},
	}, nil
}

// statementsPerRequest sends 10 requests one after another and divides
// the growth of the server's centralita_db_statements_total by 10
// (background work during them, rare, counts too).
func statementsPerRequest(ctx context.Context, api *apiClient, do func(context.Context) Outcome) (*StatementsPerCall, error) {
	do(ctx) // warm caches (sessions, plans) as a busy server has them
	before, err := statementCount(ctx, api)
	if err != nil {
		return nil, nil // an older server without the counter: no figure
	}
	const n = 10
	for range n {
		if out := do(ctx); out.Err != "" || out.Status != http.StatusOK {
			return nil, fmt.Errorf("bench: inbox request failed before the load: %+v", out)
		}
	}
	after, err := statementCount(ctx, api)
	if err != nil {
		return nil, err
	}
	return &StatementsPerCall{PerRequest: round((after-before)/n, 1), Source: "centralita_db_statements_total"}, nil
}

func statementCount(ctx context.Context, api *apiClient) (float64, error) {
	status, body, err := api.do(ctx, http.MethodGet, "/metrics", nil)
	if err != nil || status != http.StatusOK {
		return 0, fmt.Errorf("bench: /metrics answered %d (%v)", status, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "centralita_db_statements_total "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("bench: the server exposes no centralita_db_statements_total")
}
