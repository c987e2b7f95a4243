package main

import "github.com/centralita/centralita/whatsapp"

// demoSample is a customer file the demo's fake Graph API holds under a
// fixed media id, so `centralita simulate --types …` (another process) can
// name it in the webhooks it posts and the demo's download job finds it.
type demoSample struct {
	Kind     string // the WhatsApp message type carrying it
	MediaID  string
	MimeType string
	Filename string // documents only
	Caption  string
	Voice    bool
	Data     func() []byte
}

// demoSamples are small generated files (demo_samples.go): a PNG, a PDF,
// an Ogg Opus voice note, an MP4 video and a WebP sticker. The voice note
// and the video are headers only: they play as nothing.
var demoSamples = []demoSample{
	{Kind: "image", MediaID: "900000000000001", MimeType: "image/png", Caption: "Foto del pedido", Data: samplePNG},
	{Kind: "document", MediaID: "900000000000002", MimeType: "application/pdf", Filename: "factura-octubre.pdf",
		Caption: "Mi factura", Data: samplePDF},
	{Kind: "audio", MediaID: "900000000000003", MimeType: "audio/ogg; codecs=opus", Voice: true, Data: sampleOggOpus},
	{Kind: "video", MediaID: "900000000000004", MimeType: "video/mp4", Caption: "Así llegó la caja", Data: sampleMP4},
	{Kind: "sticker", MediaID: "900000000000005", MimeType: "image/webp", Data: sampleWebP},
}

// demoSampleFor returns the sample carried by a message type, if any.
func demoSampleFor(kind string) (demoSample, bool) {
	for _, s := range demoSamples {
		if s.Kind == kind {
			return s, true
		}
	}
	return demoSample{}, false
}

// registerDemoMedia stores the samples in the fake, as media received on
// the demo's first number (both demo numbers share its token).
func registerDemoMedia(fake *whatsapp.FakeGraph) {
	for _, s := range demoSamples {
		fake.PutMedia(s.MediaID, "100000000000001", s.MimeType, s.Data())
	}
}
