package main

import (
	"errors"
	"fmt"

	"github.com/centralita/centralita/domain"
)

// RateLimitConfig is the API's per-minute quotas. CENTRALITA_API_RATE_LIMIT
// sets the others' defaults, so one variable raises or (at 0) turns off
// every limit; the others are set only to depart from those multiples.
type RateLimitConfig struct {
	// APIRateLimit is requests per minute per API key, and per user.
	APIRateLimit int `env:"CENTRALITA_API_RATE_LIMIT" envDefault:"600"`
	// WorkspaceRateLimit is requests per minute per workspace, all keys and
	// users together (default 5 × APIRateLimit).
	WorkspaceRateLimit *int `env:"CENTRALITA_API_WORKSPACE_RATE_LIMIT"`
	// GraphQLCostBudget is the GraphQL cost (complexity) points per minute
	// per API key or user (default 100 × APIRateLimit, and never below the
	// complexity limit, so the largest legal query can run).
	GraphQLCostBudget *int `env:"CENTRALITA_GRAPHQL_COST_BUDGET"`
}

const (
	workspaceRateMultiple = 5
	graphQLCostMultiple   = 100
	maxRateSetting        = 1_000_000_000
)

// rateLimits is the quotas the domain enforces (0: off).
func (c *Config) rateLimits() domain.RateLimits {
	l := domain.RateLimits{PerCaller: c.APIRateLimit, PerWorkspace: workspaceRateMultiple * c.APIRateLimit}
	if c.APIRateLimit > 0 {
		l.GraphQLCost = max(graphQLCostMultiple*c.APIRateLimit, c.GraphQLComplexity)
	}
	if c.WorkspaceRateLimit != nil {
		l.PerWorkspace = *c.WorkspaceRateLimit
	}
	if c.GraphQLCostBudget != nil {
		l.GraphQLCost = *c.GraphQLCostBudget
	}
	return l
}

// validate checks the quotas; complexityLimit is the most a single GraphQL
// operation may cost, which a budget must allow.
func (c RateLimitConfig) validate(complexityLimit int) error {
	var errs []error
	if c.APIRateLimit < 0 || c.APIRateLimit > maxRateSetting/graphQLCostMultiple {
		errs = append(errs, badSetting("CENTRALITA_API_RATE_LIMIT",
			fmt.Sprintf("must be between 0 (off) and %d requests per minute", maxRateSetting/graphQLCostMultiple)))
	}
	if w := c.WorkspaceRateLimit; w != nil && (*w < 0 || *w > maxRateSetting) {
		errs = append(errs, badSetting("CENTRALITA_API_WORKSPACE_RATE_LIMIT",
			fmt.Sprintf("must be between 0 (off) and %d requests per minute", maxRateSetting)))
	}
	if b := c.GraphQLCostBudget; b != nil && (*b < 0 || *b > maxRateSetting || (*b > 0 && *b < complexityLimit)) {
		errs = append(errs, badSetting("CENTRALITA_GRAPHQL_COST_BUDGET", fmt.Sprintf(
			"must be 0 (off) or between CENTRALITA_GRAPHQL_COMPLEXITY_LIMIT (%d, the cost of the largest query) and %d points per minute",
			complexityLimit, maxRateSetting)))
	}
	return errors.Join(errs...)
}
