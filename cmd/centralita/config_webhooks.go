package main

import (
	"errors"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/netguard"
	"github.com/centralita/centralita/webhooks"
)

// WebhookConfig is the outbound webhooks' settings, embedded in Config.
type WebhookConfig struct {
	// WebhookAllowHosts names IPs or CIDRs that webhooks may reach although
	// they are not public (local development, tests). Without it a URL to
	// 127.0.0.1 is refused at registration and again when dialling.
	WebhookAllowHosts string `env:"CENTRALITA_WEBHOOK_ALLOW_HOSTS"`
	// WebhookWorkers is how many deliveries one process makes at once.
	WebhookWorkers int `env:"CENTRALITA_WEBHOOK_WORKERS" envDefault:"50"`
	// WebhookPoll is how often the dispatcher reads the event feed when no
	// commit nudged it.
	WebhookPoll time.Duration `env:"CENTRALITA_WEBHOOK_POLL_INTERVAL" envDefault:"2s"`
}

func (c *WebhookConfig) validate() error {
	var errs []error
	if _, err := netguard.ParseAllowList(c.WebhookAllowHosts); err != nil {
		errs = append(errs, badSetting("CENTRALITA_WEBHOOK_ALLOW_HOSTS", "must be comma-separated IPs or CIDRs: "+err.Error()))
	}
	if c.WebhookWorkers < 0 || c.WebhookWorkers > 1000 {
		errs = append(errs, badSetting("CENTRALITA_WEBHOOK_WORKERS", "must be between 1 and 1000"))
	}
	if c.WebhookPoll != 0 && (c.WebhookPoll < 100*time.Millisecond || c.WebhookPoll > time.Hour) {
		errs = append(errs, badSetting("CENTRALITA_WEBHOOK_POLL_INTERVAL", "must be between 100ms and 1h"))
	}
	return errors.Join(errs...)
}

// webhookAllowList is the parsed allow list (validated at start).
func (c *Config) webhookAllowList() netguard.AllowList {
	allow, _ := netguard.ParseAllowList(c.WebhookAllowHosts)
	return allow
}

// webhookOptions are the domain's rules for endpoints: https in
// production, private addresses only when allowed.
func (c *Config) webhookOptions() domain.WebhookOptions {
	return domain.WebhookOptions{URLs: netguard.URLPolicy{RequireHTTPS: c.production(), Allow: c.webhookAllowList()},
		RetryUnit: c.JobRetryUnit}
}

// webhookSender is the delivery client, whose dialer refuses every
// address that is not public or allowed.
func (c *Config) webhookSender() *webhooks.Sender {
	return &webhooks.Sender{Client: webhooks.NewClient(c.webhookAllowList()), UserAgent: "Centralita-Webhooks/1"}
}
