package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/centralita/centralita/whatsapp"
)

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

// demoSamples are small generated files: a PNG, a PDF and an Ogg Opus
// voice note (headers only: it plays as silence).
var demoSamples = []demoSample{
	{Kind: "image", MediaID: "900000000000001", MimeType: "image/png", Caption: "Foto del pedido", Data: samplePNG},
	{Kind: "document", MediaID: "900000000000002", MimeType: "application/pdf", Filename: "factura-octubre.pdf",
		Caption: "Mi factura", Data: samplePDF},
	{Kind: "audio", MediaID: "900000000000003", MimeType: "audio/ogg; codecs=opus", Voice: true, Data: sampleOggOpus},
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

// samplePNG is a 16×16 gradient.
func samplePNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, color.RGBA{R: uint8(x * 16), G: uint8(y * 16), B: 160, A: 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // cannot fail on a bytes.Buffer
	return b.Bytes()
}

// samplePDF is a one-page PDF saying "Factura de octubre".
func samplePDF() []byte {
	content := "BT /F1 18 Tf 72 720 Td (Factura de octubre - Centralita demo) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// sampleOggOpus is an Ogg Opus stream with its two header pages and no
// audio: the container WhatsApp voice notes use, kept tiny.
func sampleOggOpus() []byte {
	head := []byte("OpusHead")
	head = append(head, 1, 1)                            // version, mono
	head = binary.LittleEndian.AppendUint16(head, 312)   // pre-skip
	head = binary.LittleEndian.AppendUint32(head, 48000) // input sample rate
	head = append(head, 0, 0, 0)                         // output gain, mapping family 0
	tags := []byte("OpusTags")
	vendor := "centralita-demo"
	tags = binary.LittleEndian.AppendUint32(tags, uint32(len(vendor)))
	tags = append(tags, vendor...)
	tags = binary.LittleEndian.AppendUint32(tags, 0) // no comments
	return append(oggPage(0x02, 0, head), oggPage(0x04, 1, tags)...)
}

// oggPage frames one packet (< 255 bytes) as an Ogg page (RFC 3533).
func oggPage(flags byte, seq uint32, packet []byte) []byte {
	p := []byte("OggS")
	p = append(p, 0, flags)
	p = binary.LittleEndian.AppendUint64(p, 0)          // granule position
	p = binary.LittleEndian.AppendUint32(p, 0x43454e54) // stream serial
	p = binary.LittleEndian.AppendUint32(p, seq)
	p = binary.LittleEndian.AppendUint32(p, 0) // CRC, filled below
	p = append(p, 1, byte(len(packet)))
	p = append(p, packet...)
	binary.LittleEndian.PutUint32(p[22:], oggCRC(p))
	return p
}

// oggCRC is Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, zero init).
func oggCRC(data []byte) uint32 {
	var crc uint32
	for _, b := range data {
		crc ^= uint32(b) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04c11db7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
