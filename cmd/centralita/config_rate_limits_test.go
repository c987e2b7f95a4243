package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// CENTRALITA_API_RATE_LIMIT sets the workspace ceiling (5×) and the
// GraphQL cost budget (100×) unless those are set; 0 turns every limit off.
func TestRateLimitSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want domain.RateLimits
	}{
		{"defaults", nil, domain.RateLimits{PerCaller: 600, PerWorkspace: 3000, GraphQLCost: 60000}},
		{"raised", map[string]string{"CENTRALITA_API_RATE_LIMIT": "6000"},
			domain.RateLimits{PerCaller: 6000, PerWorkspace: 30000, GraphQLCost: 600000}},
		{"the budget allows the largest query", map[string]string{"CENTRALITA_API_RATE_LIMIT": "10"},
			domain.RateLimits{PerCaller: 10, PerWorkspace: 50, GraphQLCost: 5000}},
		{"0 turns everything off", map[string]string{"CENTRALITA_API_RATE_LIMIT": "0"}, domain.RateLimits{}},
		{"explicit ceiling and budget", map[string]string{"CENTRALITA_API_RATE_LIMIT": "100",
			"CENTRALITA_API_WORKSPACE_RATE_LIMIT": "150", "CENTRALITA_GRAPHQL_COST_BUDGET": "20000"},
			domain.RateLimits{PerCaller: 100, PerWorkspace: 150, GraphQLCost: 20000}},
		{"only the workspace ceiling", map[string]string{"CENTRALITA_API_RATE_LIMIT": "0",
			"CENTRALITA_API_WORKSPACE_RATE_LIMIT": "1000"}, domain.RateLimits{PerWorkspace: 1000}},
		{"budget off, requests limited", map[string]string{"CENTRALITA_GRAPHQL_COST_BUDGET": "0"},
			domain.RateLimits{PerCaller: 600, PerWorkspace: 3000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cfg, err := loadConfig()
			require.NoError(t, err)
			require.Equal(t, tc.want, cfg.rateLimits())
		})
	}
}
