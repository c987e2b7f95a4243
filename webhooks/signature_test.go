package webhooks

import "testing"

// The test vector published with the Standard Webhooks specification
// (github.com/standard-webhooks/standard-webhooks, libraries' tests).
const (
	specSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specMsgID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTimestamp = 1614265330
	specBody      = `{"test": 2432232314}`
	specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignMatchesTheStandardWebhooksTestVector(t *testing.T) {
	got, err := Sign(specSecret, specMsgID, specTimestamp, []byte(specBody))
	if err != nil {
		t.Fatal(err)
	}
	if got != specSignature {
		t.Fatalf("Sign = %s, want %s", got, specSignature)
	}
}

func TestSignatureHeaderSignsWithEverySecret(t *testing.T) {
	other := "whsec_" + "c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24gdGVzdHM="
	header, err := SignatureHeader([]string{other, specSecret}, specMsgID, specTimestamp, []byte(specBody))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{other, specSecret} {
		if !Verify(secret, specMsgID, specTimestamp, []byte(specBody), header) {
			t.Errorf("a receiver holding %s cannot verify %q", secret, header)
		}
	}
	if Verify(specSecret, specMsgID, specTimestamp+1, []byte(specBody), header) {
		t.Error("a different timestamp verified")
	}
	if Verify(specSecret, specMsgID, specTimestamp, []byte(specBody+" "), header) {
		t.Error("a different body verified")
	}
	if _, err := Sign("whsec_not base64!", specMsgID, specTimestamp, nil); err == nil {
		t.Error("a secret that is not base64 signed")
	}
}
