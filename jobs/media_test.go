package jobs

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

// Which download errors end the media now, and which get another attempt.
func TestMediaErrorsPermanentOrRetried(t *testing.T) {
	for name, tc := range map[string]struct {
		err       error
		permanent bool
		reason    string
	}{
		"too large": {fmt.Errorf("%w: 614400 > 512000 bytes", whatsapp.ErrMediaTooLarge), true,
			"the file is larger than WhatsApp allows for this type of message (614400 > 512000 bytes)"},
		"unknown media id": {&whatsapp.GraphError{HTTPStatus: 400, Code: 100, Subcode: 33}, true,
			"WhatsApp no longer has this file (unknown or expired media id; Graph error 100/33)"},
		"user's media not downloadable": {&whatsapp.GraphError{HTTPStatus: 400, Code: 131052}, true,
			"the user's media could not be downloaded (Graph error 131052)"},
		"expired download URL": {&whatsapp.GraphError{HTTPStatus: 404, Message: "Not Found"}, false, ""},
		"expired signed URL":   {&whatsapp.GraphError{HTTPStatus: 403, Message: "Forbidden"}, false, ""},
		"no permission":        {&whatsapp.GraphError{HTTPStatus: 403, Code: 200}, true, ""},
		"media URL elsewhere":  {&whatsapp.ValidationError{Field: "media_url", Reason: "not Meta"}, true, ""},
		"expired token":        {&whatsapp.GraphError{HTTPStatus: 401, Code: 190, Subcode: 463}, false, ""},
		"Meta outage":          {&whatsapp.GraphError{HTTPStatus: 503, Code: 2, IsTransient: true}, false, ""},
		"bare 502":             {&whatsapp.GraphError{HTTPStatus: 502}, false, ""},
		"network":              {&whatsapp.TransportError{Op: "GET media", Err: errors.New("connection reset")}, false, ""},
		"our disk":             {errors.New("no space left on device"), false, ""},
	} {
		require.Equal(t, tc.permanent, mediaErrorIsPermanent(tc.err), name)
		if tc.reason != "" {
			require.Equal(t, tc.reason, mediaFailureReason(tc.err), name)
		}
		require.NotEmpty(t, mediaFailureReason(tc.err), name)
		require.NotContains(t, mediaFailureReason(tc.err), "whatsapp: ", name)
	}
}
