package whatsapp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/centralita/centralita/domain"
	"github.com/stretchr/testify/require"
)

func TestParseWebhookRejectsNonDeliveries(t *testing.T) {
	for name, body := range map[string]string{
		"empty":        "",
		"not json":     "hello",
		"truncated":    `{"object":"whatsapp_business_account","entry":[`,
		"array":        `[{"object":"whatsapp_business_account"}]`,
		"string":       `"whatsapp_business_account"`,
		"other object": `{"object":"page","entry":[]}`,
		"no object":    `{"entry":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			d, err := ParseWebhook([]byte(body))
			require.Error(t, err)
			require.Nil(t, d)
		})
	}
}

// One bad item per kind, surrounded by good ones: the good ones survive and
// each bad one is reported with its path (T5).
func TestParseWebhookIsolatesBadItems(t *testing.T) {
	body := `{"object":"whatsapp_business_account","entry":[
	  "not an entry",
	  {"id":"W1","changes":[
	    42,
	    {"field":"messages","value":{"messaging_product":"whatsapp",
	      "metadata":{"display_phone_number":"15550001111","phone_number_id":"P1"},
	      "contacts":[{"profile":{"name":"Ana"},"wa_id":"5491100000000"}, "junk"],
	      "messages":[
	        {"from":"5491100000000","id":"wamid.ok1","timestamp":"1700000000","type":"text","text":{"body":"hola"}},
	        "not a message",
	        {"from":"5491100000000","timestamp":"1700000001","type":"text","text":{"body":"no id"}},
	        {"from":"5491100000000","id":"wamid.badts","timestamp":{"x":1},"type":"text","text":{"body":"ts"}},
	        {"from":"5491100000000","id":"wamid.badtext","timestamp":1700000002,"type":"text","text":"plain string"},
	        {"from":5491100000000,"id":"wamid.poll","timestamp":"1700000003","type":"poll","poll":{}},
	        {"from":"5491100000000","id":"wamid.ok2","timestamp":"1700000004.5","type":"image","image":{"id":"M1","voice":"true"}}
	      ],
	      "statuses":[
	        {"id":"wamid.s1","status":"delivered","timestamp":"1700000005","recipient_id":"5491100000000"},
	        {"status":"read"},
	        []
	      ],
	      "errors":[{"code":"131000","title":"x"}, "bad"]
	    }}
	  ]}
	]}`
	d, err := ParseWebhook([]byte(body))
	require.NoError(t, err)
	require.Len(t, d.Changes, 1)
	c := d.Changes[0]
	var ids []string
	for _, m := range c.Messages {
		ids = append(ids, m.ProviderMessageID)
	}
	require.Equal(t, []string{"wamid.ok1", "wamid.badts", "wamid.badtext", "wamid.poll", "wamid.ok2"}, ids)
	require.Equal(t, "Ana", c.Messages[0].ProfileName)
	require.True(t, c.Messages[1].Timestamp.IsZero())
	require.Empty(t, c.Messages[2].Text)
	require.Equal(t, domain.MessageUnsupported, c.Messages[3].Type)
	require.Equal(t, "poll", c.Messages[3].RawType)
	require.Equal(t, "5491100000000", c.Messages[3].From, "numeric from accepted")
	require.Equal(t, int64(1700000004), c.Messages[4].Timestamp.Unix())
	require.Equal(t, "M1", c.Messages[4].Media.ID)
	require.Len(t, c.Statuses, 1)
	require.Equal(t, []Error{{Code: 131000, Title: "x"}}, c.Errors)

	paths := map[string]bool{}
	for _, p := range d.Problems {
		paths[p.Path] = true
	}
	for _, want := range []string{
		"entry[0]",
		"entry[1].changes[0]",
		"entry[1].changes[1].value.contacts[1]",
		"entry[1].changes[1].value.messages[1]",
		"entry[1].changes[1].value.messages[2]",
		"entry[1].changes[1].value.messages[3].timestamp",
		"entry[1].changes[1].value.messages[4].text",
		"entry[1].changes[1].value.statuses[1]",
		"entry[1].changes[1].value.statuses[2]",
		"entry[1].changes[1].value.errors[1]",
	} {
		require.True(t, paths[want], "missing problem %s in %v", want, d.Problems)
	}
}

func TestParseWebhookDeepNestingDoesNotPanic(t *testing.T) {
	deep := `{"object":"whatsapp_business_account","entry":[` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `]}`
	_, err := ParseWebhook([]byte(deep))
	require.Error(t, err) // encoding/json refuses > 10000 levels
}

func TestParseWebhookEntryNotArray(t *testing.T) {
	d, err := ParseWebhook([]byte(`{"object":"whatsapp_business_account","entry":{"id":"1"}}`))
	require.NoError(t, err)
	require.Empty(t, d.Changes)
	require.NotEmpty(t, d.Problems)
}

func FuzzParseWebhook(f *testing.F) {
	if entries, err := os.ReadDir(fixturesDir); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(fixturesDir, e.Name())); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"id":"x","type":"reaction","reaction":{}}]}}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := ParseWebhook(body)
		if err != nil {
			require.Nil(t, d)
			return
		}
		for _, c := range d.Changes {
			for _, m := range c.Messages {
				require.NotEmpty(t, m.ProviderMessageID)
				require.NotEmpty(t, m.Type)
			}
			for _, s := range c.Statuses {
				require.NotEmpty(t, s.ProviderMessageID)
			}
		}
	})
}
