// Package netguard decides which network addresses an outbound webhook may
// reach (SSRF, reliability T33). It is pure: the webhook sender asks it at
// dial time about every address it is about to connect to, and the domain
// asks it about a URL when an endpoint is registered, so a URL naming a
// private address is refused early with a clear message.
package netguard

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// blockedRange is a range of addresses no webhook may reach, and why.
type blockedRange struct {
	prefix netip.Prefix
	reason string
}

// blocked lists the ranges that are not the public internet. Order
// matters only for the reason given: the metadata address comes before
// the link-local range that contains it.
var blocked = func() []blockedRange {
	ranges := []struct{ cidr, reason string }{
		{"169.254.169.254/32", "the cloud metadata address"},
		{"0.0.0.0/8", "an unspecified address"},
		{"10.0.0.0/8", "a private address"},
		{"100.64.0.0/10", "a carrier-grade NAT address"},
		{"127.0.0.0/8", "a loopback address"},
		{"169.254.0.0/16", "a link-local address"},
		{"172.16.0.0/12", "a private address"},
		{"192.0.0.0/24", "a reserved address"},
		{"192.168.0.0/16", "a private address"},
		{"198.18.0.0/15", "a reserved address"},
		{"224.0.0.0/4", "a multicast address"},
		{"240.0.0.0/4", "a reserved address"},
		{"::/128", "an unspecified address"},
		{"::1/128", "a loopback address"},
		{"::ffff:0:0/96", "an IPv4-mapped IPv6 address"},
		{"::/96", "an IPv4-compatible IPv6 address"},
		{"64:ff9b::/96", "a NAT64 address"},
		{"2002::/16", "a 6to4 address"},
		{"fc00::/7", "a unique local address"},
		{"fe80::/10", "a link-local address"},
		{"fec0::/10", "a site-local address"},
		{"ff00::/8", "a multicast address"},
	}
	out := make([]blockedRange, len(ranges))
	for i, r := range ranges {
		out[i] = blockedRange{prefix: netip.MustParsePrefix(r.cidr), reason: r.reason}
	}
	return out
}()

// Blocked says why ip is not a public address ("" when it is one).
func Blocked(ip netip.Addr) string {
	if !ip.IsValid() {
		return "not an address"
	}
	if ip.Zone() != "" {
		return "an address with a zone"
	}
	for _, r := range blocked {
		if r.prefix.Contains(ip) {
			return r.reason
		}
	}
	return ""
}

// AllowList holds the addresses an operator lets webhooks reach although
// they are not public (local development, tests).
type AllowList []netip.Prefix

// ParseAllowList reads comma-separated IPs or CIDRs ("" is empty).
func ParseAllowList(text string) (AllowList, error) {
	var out AllowList
	for _, item := range strings.Split(text, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(item)
		if err != nil || ip.Zone() != "" {
			return nil, fmt.Errorf("%q is not an IP address or CIDR", item)
		}
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

// Allows reports whether the list names ip.
func (l AllowList) Allows(ip netip.Addr) bool {
	for _, p := range l {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Refusal says why a webhook may not connect to ip ("" when it may): an
// address is reachable when it is public or the allow list names it.
func (l AllowList) Refusal(ip netip.Addr) string {
	if l.Allows(ip) {
		return ""
	}
	return Blocked(ip)
}

// URLPolicy is what a webhook URL must satisfy.
type URLPolicy struct {
	RequireHTTPS bool
	Allow        AllowList
}

// MaxURLLength bounds a webhook URL.
const MaxURLLength = 2048

// CheckURL refuses a URL a webhook must not be sent to, with the reason
// as a sentence. Host names are resolved only when sending (where every
// resolved address is checked again); here a literal address is
// classified, and the odd spellings of addresses that resolvers accept
// (2130706433, 0177.0.0.1, 0x7f.1) are refused outright.
func (p URLPolicy) CheckURL(raw string) error {
	if len(raw) > MaxURLLength {
		return fmt.Errorf("url must have at most %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return fmt.Errorf("url must be an absolute http(s) URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if p.RequireHTTPS {
			return fmt.Errorf("url must use https")
		}
	default:
		return fmt.Errorf("url must use https (or http outside production), not %s", u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("url must not carry credentials")
	}
	if u.Fragment != "" {
		return fmt.Errorf("url must not have a fragment")
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("url must name a host")
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if reason := p.Allow.Refusal(ip); reason != "" {
			return fmt.Errorf("url must not point to %s (%s)", reason, host)
		}
		return nil
	}
	if strings.HasPrefix(u.Host, "[") {
		return fmt.Errorf("url has an invalid IPv6 address")
	}
	return checkHostName(strings.ToLower(host))
}

// checkHostName refuses names that are addresses in disguise or that mean
// this machine.
func checkHostName(host string) error {
	host = strings.TrimSuffix(host, ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("url must not point to this machine (%s)", host)
	}
	labels := strings.Split(host, ".")
	last := labels[len(labels)-1]
	if numeric(last) {
		// No top-level domain is numeric: this is an IPv4 address in a
		// form (decimal, octal, hexadecimal, shortened) resolvers accept.
		return fmt.Errorf("url must name a host or a dotted IPv4 address, not %s", host)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || !hostLabel(l) {
			return fmt.Errorf("url has an invalid host name")
		}
	}
	return nil
}

func numeric(label string) bool {
	if label == "" {
		return false
	}
	if rest, ok := strings.CutPrefix(label, "0x"); ok {
		label = rest
		for _, r := range label {
			if !strings.ContainsRune("0123456789abcdef", r) {
				return false
			}
		}
		return true
	}
	for _, r := range label {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func hostLabel(l string) bool {
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return l[0] != '-' && l[len(l)-1] != '-'
}
