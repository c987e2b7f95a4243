package jobs

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

// Only an error that proves the message never reached the customer lets a
// retry skip waiting for the receipt of the attempt.
func TestNotSentOnlyWhenMetaCannotHaveTheMessage(t *testing.T) {
	require.True(t, notSent(&whatsapp.GraphError{HTTPStatus: 500, Code: 131000}), "Meta answered with an error")
	require.True(t, notSent(&whatsapp.ValidationError{Field: "text.body", Reason: "is required"}), "never left")
	_, dialErr := net.Dial("tcp", "127.0.0.1:1")
	require.Error(t, dialErr)
	require.True(t, notSent(&whatsapp.TransportError{Op: "POST", Err: dialErr}), "no connection was made")

	require.False(t, notSent(&whatsapp.TransportError{Op: "POST", Err: io.EOF}), "dropped after the request left")
	require.False(t, notSent(&whatsapp.TransportError{Op: "POST", Err: context.DeadlineExceeded}), "timed out waiting")
	require.False(t, notSent(errors.New("whatsapp: send answered 200 without a message id")))
}
