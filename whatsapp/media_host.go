package whatsapp

import (
	"net/url"
	"strings"
)

// metaMediaDomains are where Meta serves media downloads (lookaside.fbsbx.com
// today). The Bearer token goes with the download, so it is sent nowhere
// else: a URL that pointed at our own network or a stranger's host would
// leak the number's token or reach internal services (reliability §1.8).
var metaMediaDomains = []string{"fbsbx.com", "facebook.com", "whatsapp.net", "fbcdn.net"}

// checkMediaURL allows https URLs on Meta's media domains, and URLs on the
// Graph API's own host (a FakeGraph in tests and the demo).
func (c *Client) checkMediaURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return invalid("media_url", "is not an absolute URL")
	}
	if base, err := url.Parse(c.url()); err == nil && u.Scheme == base.Scheme && u.Host == base.Host {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "https" && (u.Port() == "" || u.Port() == "443") {
		for _, d := range metaMediaDomains {
			if host == d || strings.HasSuffix(host, "."+d) {
				return nil
			}
		}
	}
	return invalid("media_url", "host %q is not one of Meta's media hosts; refusing to send the token there", u.Host)
}
