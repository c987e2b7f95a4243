package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"image/png"
	"net/http"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// In the demo, `simulate --types` posts images, documents, voice notes,
// videos and stickers naming the demo's sample media ids; the demo's fake
// Graph API serves them, so every file downloads and comes back over REST.
func TestDemoSimulatedMediaDownloads(t *testing.T) {
	// Receipts go nowhere: nothing is sent in this test.
	graphURL, stop, err := startDemoGraph("http://127.0.0.1:9/webhooks/whatsapp", testAppSecret, 0)
	require.NoError(t, err)
	t.Cleanup(stop)
	a := newTestApp(t, func(c *Config) { c.WhatsAppGraphURL = graphURL })
	tn := a.bootstrap("Demo Media")
	for _, pnid := range []string{"100000000000001", "100000000000002"} {
		_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr(pnid),
			WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr(pnid), AccessToken: valuePtr(demoGraphToken)})
		require.NoError(t, err)
	}
	a.startJobs()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"simulate", "--url", a.URL + "/webhooks/whatsapp",
		"--app-secret", testAppSecret, "--numbers", "100000000000001,100000000000002", "--count", "10",
		"--rate", "200", "--duplicates", "0", "--types", "image,document,audio,video,sticker"}, &out, &errOut), errOut.String())

	var ids []string
	require.Eventually(t, func() bool {
		ids = inboundMessageIDs(t, a)
		ready := 0
		for _, id := range ids {
			m, err := a.Service.Message(a.system(tn), id)
			require.NoError(t, err)
			require.NotNil(t, m.Media, "every simulated message carries media")
			require.NotEqual(t, domain.MediaFailed, m.Media.State, m.Media.Error)
			if m.Media.State == domain.MediaReady {
				ready++
			}
		}
		return len(ids) == 10 && ready == 10
	}, 20*time.Second, 50*time.Millisecond, "all ten files download")

	spec, err := legacy.NewRouter(loadOpenAPI(t))
	require.NoError(t, err)
	rest := &restClient{t: t, app: a, spec: spec}
	seen := map[domain.MessageType]bool{}
	for _, id := range ids {
		m, err := a.Service.Message(a.system(tn), id)
		require.NoError(t, err)
		seen[m.Type] = true
		res := rest.expect(200, "GET", "/v1/messages/"+id+"/media", tn.APIKey, nil)
		sample, ok := demoSampleFor(string(m.Type))
		require.True(t, ok, m.Type)
		require.Equal(t, sample.Data(), res.Body)
		switch m.Type {
		case domain.MessageImage:
			require.Equal(t, "image/png", res.Header.Get("Content-Type"))
			_, err := png.Decode(bytes.NewReader(res.Body))
			require.NoError(t, err, "a real PNG")
		case domain.MessageDocument:
			require.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
			require.Equal(t, `attachment; filename="factura-octubre.pdf"`, res.Header.Get("Content-Disposition"))
		case domain.MessageAudio:
			require.Equal(t, "audio/ogg", res.Header.Get("Content-Type"))
			require.Equal(t, `attachment; filename="`+id+`.ogg"`, res.Header.Get("Content-Disposition"))
			require.True(t, m.Media.Voice)
		case domain.MessageVideo:
			require.Equal(t, "video/mp4", res.Header.Get("Content-Type"))
			require.Equal(t, "video/mp4", http.DetectContentType(res.Body), "an MP4 by its signature")
		case domain.MessageSticker:
			require.Equal(t, "image/webp", res.Header.Get("Content-Type"))
			require.Equal(t, "image/webp", http.DetectContentType(res.Body), "a WebP by its signature")
		}
	}
	require.Len(t, seen, 5, "image, document, audio, video and sticker")
}

func inboundMessageIDs(t *testing.T, a *testApp) []string {
	t.Helper()
	rows, err := a.sql().Query("SELECT id FROM messages WHERE direction = 'inbound'")
	require.NoError(t, err)
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	return ids
}

// The Ogg sample is well framed: each page's CRC checks out.
func TestSampleOggPagesHaveValidCRCs(t *testing.T) {
	data := sampleOggOpus()
	pages := 0
	for len(data) > 0 {
		require.Equal(t, "OggS", string(data[:4]))
		size := 27 + int(data[26])
		for _, seg := range data[27 : 27+int(data[26])] {
			size += int(seg)
		}
		page := append([]byte(nil), data[:size]...)
		want := binary.LittleEndian.Uint32(page[22:])
		binary.LittleEndian.PutUint32(page[22:], 0)
		require.Equal(t, want, oggCRC(page))
		data = data[size:]
		pages++
	}
	require.Equal(t, 2, pages)
	// Reference values: the remainder of M(x)·x³² divided by 0x104c11db7,
	// computed by polynomial division outside Go.
	require.Equal(t, uint32(0x5fb0a94f), oggCRC([]byte("OggS")))
	require.Equal(t, uint32(0x89a1897f), oggCRC([]byte("123456789")))
}

// The MP4 is a chain of well-sized boxes (ftyp, then moov holding mvhd);
// the WebP a RIFF file whose VP8L header says 512×512. The download test
// checks both sniff as what they claim; golang.org/x/image/webp decodes
// the WebP too (checked by hand: it is not a dependency).
func TestSampleVideoAndStickerAreWellFramed(t *testing.T) {
	mp4 := sampleMP4()
	var boxes []string
	for rest := mp4; len(rest) > 0; {
		size := int(binary.BigEndian.Uint32(rest))
		require.GreaterOrEqual(t, size, 8)
		require.LessOrEqual(t, size, len(rest))
		boxes = append(boxes, string(rest[4:8]))
		if string(rest[4:8]) == "moov" {
			require.Equal(t, "mvhd", string(rest[12:16]))
			require.Equal(t, size-8, int(binary.BigEndian.Uint32(rest[8:])), "mvhd fills moov")
		}
		rest = rest[size:]
	}
	require.Equal(t, []string{"ftyp", "moov"}, boxes)

	webp := sampleWebP()
	require.Equal(t, "RIFF", string(webp[:4]))
	require.Equal(t, len(webp)-8, int(binary.LittleEndian.Uint32(webp[4:])))
	require.Equal(t, "WEBPVP8L", string(webp[8:16]))
	require.Equal(t, byte(0x2f), webp[20])
	dims := binary.LittleEndian.Uint32(webp[21:])
	require.Equal(t, []uint32{511, 511}, []uint32{dims & 0x3fff, dims >> 14 & 0x3fff}, "512×512, stored minus one")
}

func TestSimulateRefusesUnknownTypes(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"simulate", "--url", "http://127.0.0.1:9/webhooks/whatsapp",
		"--app-secret", "x", "--numbers", "1", "--types", "image,hologram"}, &out, &errOut)
	require.ErrorContains(t, err, `"hologram"`)
	types, err := parseSimulatedTypes(" Text, image ,,audio")
	require.NoError(t, err)
	require.Equal(t, []string{"text", "image", "audio"}, types)
	msg := simulatedMediaMessage(simulatedMessage{kind: "image", from: "51987654321", id: "wamid.x", timestamp: "1"})
	raw, _ := json.Marshal(msg)
	require.JSONEq(t, `{"from":"51987654321","id":"wamid.x","timestamp":"1","type":"image","image":{"id":"900000000000001",
		"mime_type":"image/png","sha256":"`+metaSHA256(samplePNG())+`","caption":"Foto del pedido"}}`, string(raw))
	require.Nil(t, simulatedMediaMessage(simulatedMessage{kind: "text"}), "text is no media")
}
