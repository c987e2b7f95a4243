package netguard

import (
	"net/netip"
	"testing"
)

func TestBlockedClassifiesAddresses(t *testing.T) {
	cases := []struct {
		ip     string
		reason string
	}{
		{"127.0.0.1", "a loopback address"},
		{"127.255.0.9", "a loopback address"},
		{"0.0.0.0", "an unspecified address"},
		{"10.1.2.3", "a private address"},
		{"172.16.0.1", "a private address"},
		{"172.31.255.255", "a private address"},
		{"192.168.1.1", "a private address"},
		{"169.254.169.254", "the cloud metadata address"},
		{"169.254.10.1", "a link-local address"},
		{"100.64.0.1", "a carrier-grade NAT address"},
		{"100.127.255.254", "a carrier-grade NAT address"},
		{"224.0.0.1", "a multicast address"},
		{"255.255.255.255", "a reserved address"},
		{"::", "an unspecified address"},
		{"::1", "a loopback address"},
		{"::ffff:127.0.0.1", "an IPv4-mapped IPv6 address"},
		{"::ffff:8.8.8.8", "an IPv4-mapped IPv6 address"},
		{"::127.0.0.1", "an IPv4-compatible IPv6 address"},
		{"64:ff9b::a00:1", "a NAT64 address"},
		{"fc00::1", "a unique local address"},
		{"fd12:3456::1", "a unique local address"},
		{"fe80::1", "a link-local address"},
		{"ff02::1", "a multicast address"},
		{"fe80::1%eth0", "an address with a zone"},
		// Public addresses, including neighbours of the blocked ranges.
		{"8.8.8.8", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"172.32.0.1", ""},
		{"11.0.0.1", ""},
		{"2606:4700::1111", ""},
	}
	for _, c := range cases {
		if got := Blocked(netip.MustParseAddr(c.ip)); got != c.reason {
			t.Errorf("Blocked(%s) = %q, want %q", c.ip, got, c.reason)
		}
	}
}

func TestAllowListLetsChosenAddressesThrough(t *testing.T) {
	allow, err := ParseAllowList(" 127.0.0.1, 10.9.0.0/16 ,")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ip      string
		refused bool
	}{
		{"127.0.0.1", false},
		{"127.0.0.2", true}, // a neighbour is not named
		{"10.9.200.1", false},
		{"10.8.0.1", true},
		{"::ffff:127.0.0.1", true}, // the mapped form is not the address named
		{"8.8.8.8", false},
	}
	for _, c := range cases {
		if got := allow.Refusal(netip.MustParseAddr(c.ip)) != ""; got != c.refused {
			t.Errorf("Refusal(%s) refused=%v, want %v", c.ip, got, c.refused)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "fe80::1%eth0", "1.2.3"} {
		if _, err := ParseAllowList(bad); err == nil {
			t.Errorf("ParseAllowList(%q) accepted", bad)
		}
	}
}

func TestCheckURLRefusesUnsafeURLs(t *testing.T) {
	dev := URLPolicy{}
	prod := URLPolicy{RequireHTTPS: true}
	allowLoopback := URLPolicy{Allow: AllowList{netip.MustParsePrefix("127.0.0.1/32")}}
	cases := []struct {
		policy URLPolicy
		url    string
		ok     bool
	}{
		{dev, "https://crm.example.com/hooks", true},
		{dev, "http://crm.example.com:8443/hooks?x=1", true},
		{prod, "http://crm.example.com/hooks", false},
		{prod, "https://crm.example.com/hooks", true},
		{dev, "https://8.8.8.8/x", true},
		{dev, "https://[2606:4700::1111]/x", true},
		{dev, "http://127.0.0.1:8080/x", false},
		{allowLoopback, "http://127.0.0.1:8080/x", true},
		{allowLoopback, "http://127.0.0.2:8080/x", false},
		{dev, "http://localhost/x", false},
		{dev, "http://api.localhost/x", false},
		{dev, "http://[::1]/x", false},
		{dev, "http://0.0.0.0/x", false},
		{dev, "http://10.0.0.1/x", false},
		{dev, "http://172.16.3.4/x", false},
		{dev, "http://192.168.0.1/x", false},
		{dev, "http://169.254.169.254/latest/meta-data", false},
		{dev, "http://100.64.1.1/x", false},
		{dev, "http://[fc00::1]/x", false},
		{dev, "http://[fe80::1]/x", false},
		{dev, "http://[fe80::1%25eth0]/x", false},
		{dev, "http://[::ffff:127.0.0.1]/x", false},
		{dev, "http://[::ffff:7f00:1]/x", false},
		{dev, "http://2130706433/x", false},
		{dev, "http://0177.0.0.1/x", false},
		{dev, "http://0x7f.1/x", false},
		{dev, "http://127.1/x", false},
		{dev, "file:///etc/passwd", false},
		{dev, "gopher://crm.example.com:70/_x", false},
		{dev, "ftp://crm.example.com/", false},
		{dev, "https://user:pass@crm.example.com/", false},
		{dev, "https:crm.example.com", false},
		{dev, "/relative/path", false},
		{dev, "https:///nohost", false},
		{dev, "https://crm.example.com/#frag", false},
		{dev, "https://bad_host!.example.com/", false},
	}
	for _, c := range cases {
		err := c.policy.CheckURL(c.url)
		if (err == nil) != c.ok {
			t.Errorf("CheckURL(%q) error = %v, want ok=%v", c.url, err, c.ok)
		}
	}
}
