package main

// Metrics end to end: scrapes parsed from the exposition format, where
// /metrics is served and who may read it.

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// scrape is one parsed answer of GET /metrics.
type scrape map[string]*dto.MetricFamily

// scrape reads /metrics (with the token, if given) and parses it.
func (a *testApp) scrape(token ...string) scrape {
	a.t.Helper()
	res := a.do(http.MethodGet, "/metrics", strings.Join(token, ""), nil)
	require.Equal(a.t, http.StatusOK, res.Status, string(res.Body))
	return parseScrape(a.t, res.Body)
}

func parseScrape(t *testing.T, body []byte) scrape {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	require.NoError(t, err)
	return families
}

// value is the counter or gauge of the series of name whose labels are
// exactly labels (name, value pairs); the series must exist.
func (s scrape) value(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	v, ok := s.lookup(name, labels...)
	require.True(t, ok, "no series %s%v", name, labels)
	return v
}

func (s scrape) lookup(name string, labels ...string) (float64, bool) {
	family := s[name]
	if family == nil {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	for _, m := range family.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if len(got) != len(want) {
			continue
		}
		match := true
		for k, v := range want {
			match = match && got[k] == v
		}
		if !match {
			continue
		}
		if m.GetCounter() != nil {
			return m.GetCounter().GetValue(), true
		}
		return m.GetGauge().GetValue(), true
	}
	return 0, false
}

// moved is how much every series of name changed from before to s, keyed
// by its labels as "k=v,k=v" (series that did not move are left out).
func (s scrape) moved(before scrape, name string) map[string]float64 {
	out := map[string]float64{}
	for _, m := range s[name].GetMetric() {
		var labels []string
		var pairs []string
		for _, l := range m.GetLabel() {
			labels = append(labels, l.GetName(), l.GetValue())
			pairs = append(pairs, l.GetName()+"="+l.GetValue())
		}
		now, _ := s.lookup(name, labels...)
		was, _ := before.lookup(name, labels...)
		if now != was {
			out[strings.Join(pairs, ",")] = now - was
		}
	}
	return out
}

const testMetricsToken = "metrics-token-metrics-token-0123456789"

// With CENTRALITA_METRICS_TOKEN, /metrics on the public listener answers
// 401 unless the scrape carries the token.
func TestMetricsNeedTheirTokenWhenOneIsSet(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.MetricsToken = testMetricsToken })
	c := a.rest()
	res := c.expect(http.StatusUnauthorized, http.MethodGet, "/metrics", "", nil)
	require.Equal(t, "unauthenticated", problemOf(t, res).Code)
	c.expect(http.StatusUnauthorized, http.MethodGet, "/metrics", "not-the-metrics-token", nil)
	tn := a.bootstrap("Metrics Co")
	c.expect(http.StatusUnauthorized, http.MethodGet, "/metrics", tn.APIKey, nil)
	res = c.expect(http.StatusOK, http.MethodGet, "/metrics", testMetricsToken, nil)
	require.Contains(t, parseScrape(t, res.Body), "centralita_jobs")
}

// Production without a token or a listener of their own serves no metrics.
func TestMetricsAreOffInProductionWithoutATokenOrAListener(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.Env = "production" })
	a.rest().expect(http.StatusNotFound, http.MethodGet, "/metrics", "", nil)
	a = newTestApp(t, func(c *Config) { c.Env = "production"; c.MetricsToken = testMetricsToken })
	a.rest().expect(http.StatusOK, http.MethodGet, "/metrics", testMetricsToken, nil)
}

// With CENTRALITA_METRICS_ADDR, /metrics is served there and only there.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	metricsAddr := free.Addr().String()
	require.NoError(t, free.Close())
	a := newTestApp(t, func(c *Config) { c.Env = "production"; c.MetricsAddr = metricsAddr })
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.app.serve(ctx, ready) }()
	publicAddr := <-ready

	get := func(url string) (int, []byte) {
		res, err := http.Get(url)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, body
	}
	status, body := get("http://" + metricsAddr + "/metrics")
	require.Equal(t, http.StatusOK, status, string(body))
	require.Contains(t, parseScrape(t, body), "centralita_whatsapp_webhook_deliveries_total")
	status, _ = get("http://" + publicAddr + "/metrics")
	require.Equal(t, http.StatusNotFound, status, "not on the public listener")
	status, _ = get("http://" + metricsAddr + "/v1/me")
	require.Equal(t, http.StatusNotFound, status, "the metrics listener serves nothing else")

	cancel()
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	_, err = http.Get("http://" + metricsAddr + "/metrics")
	require.Error(t, err, "the metrics listener stops with the process")
}

// Without the database the job gauges are left out of a scrape, which
// still serves everything else.
func TestMetricsSurviveADatabaseOutage(t *testing.T) {
	a := newTestApp(t)
	require.Contains(t, a.scrape(), "centralita_jobs")
	require.NoError(t, a.DB.Close())
	s := a.scrape()
	require.NotContains(t, s, "centralita_jobs")
	require.Contains(t, s, "centralita_whatsapp_webhook_deliveries_total")
	require.Contains(t, s, "http_request_duration_seconds")
}

func TestMetricsSettingsAreValidated(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"short token":        {"CENTRALITA_METRICS_TOKEN": "short"},
		"not an address":     {"CENTRALITA_METRICS_ADDR": "9090"},
		"the public address": {"CENTRALITA_ADDR": "127.0.0.1:8080", "CENTRALITA_METRICS_ADDR": "127.0.0.1:8080"},
	} {
		t.Run(name, func(t *testing.T) {
			for k, v := range env {
				t.Setenv(k, v)
			}
			_, err := loadConfig()
			require.ErrorContains(t, err, "CENTRALITA_METRICS_")
		})
	}
	t.Setenv("CENTRALITA_METRICS_ADDR", "127.0.0.1:9090")
	t.Setenv("CENTRALITA_METRICS_TOKEN", testMetricsToken)
	cfg, err := loadConfig()
	require.NoError(t, err)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("starting", "config", cfg)
	require.NotContains(t, logged.String(), testMetricsToken, "the token is a secret")
	require.Contains(t, logged.String(), `"metrics_token_set":true`)
}
