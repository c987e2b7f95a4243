package api

import (
	"bytes"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// maxNamedNumbers caps how many distinct phone_number_ids mayBeMeta reads
// from a body before it is authenticated. One delivery comes from one Meta
// app, so its first known number with a secret of its own decides.
const maxNamedNumbers = 20

// mayBeMeta decides, before the body is parsed, whether a delivery the
// global app secret did not sign could come from Meta at all: parsing an
// unsigned 2.8 MB body cost 300 ms of CPU before its 401. A missing or
// malformed signature is refused at once; otherwise the body is only scanned
// for the phone_number_ids it names (at most maxNamedNumbers), and their
// own app secrets are tried. Only a body naming no known number with its
// own secret (unparseable, account-level) falls back to every number's
// secret, as before. It is a necessary condition, not the whole check:
// route still decides, change by change, what the signature may write.
func (w *whatsappWebhook) mayBeMeta(c *gin.Context, body []byte, signature string) (bool, error) {
	if !whatsapp.WellFormedSignature(signature) {
		return false, nil
	}
	ctx := c.Request.Context()
	ownSecrets := false
	for _, id := range namedPhoneNumberIDs(body, maxNamedNumbers) {
		ch, err := w.svc.ChannelForPhoneNumber(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			continue
		}
		if err != nil {
			return false, err
		}
		_, secret, err := w.svc.ChannelCredentials(domain.SystemContext(ctx, ch.WorkspaceID), ch)
		if err != nil {
			return false, err
		}
		if secret == "" {
			continue
		}
		if whatsapp.VerifySignature(body, signature, secret) {
			return true, nil
		}
		ownSecrets = true
	}
	if ownSecrets {
		// A number it names has its own secret, and that did not sign it.
		return false, nil
	}
	return w.signedByANumber(c, body, signature)
}

// namedPhoneNumberIDs finds the values of "phone_number_id" keys in a raw
// JSON body without parsing it, stopping after limit distinct ones. A key
// inside a JSON string has its quotes escaped, so it is not found.
func namedPhoneNumberIDs(body []byte, limit int) []string {
	key := []byte(`"phone_number_id"`)
	var ids []string
	seen := map[string]bool{}
	for len(ids) < limit {
		i := bytes.Index(body, key)
		if i < 0 {
			break
		}
		body = body[i+len(key):]
		value := bytes.TrimLeft(body, " \t\r\n")
		if len(value) == 0 || value[0] != ':' {
			continue
		}
		value = bytes.TrimLeft(value[1:], " \t\r\n")
		if len(value) == 0 || value[0] != '"' {
			continue
		}
		end := bytes.IndexByte(value[1:], '"')
		if end < 0 || end > 64 {
			continue
		}
		id := string(value[1 : 1+end])
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}
