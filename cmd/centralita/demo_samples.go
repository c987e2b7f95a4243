package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

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

// sampleMP4 is an MP4 with its file type and an empty movie header: a
// well-formed ISO BMFF file of no tracks and no duration, kept tiny.
func sampleMP4() []byte {
	box := func(kind string, payload ...[]byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(8+len(bytes.Join(payload, nil))))
		return append(append(b, kind...), bytes.Join(payload, nil)...)
	}
	u32 := func(v ...uint32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.BigEndian.AppendUint32(b, x)
		}
		return b
	}
	ftyp := box("ftyp", []byte("isom"), u32(0x200), []byte("isomiso2mp41"))
	identity := u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000) // the unit matrix, 16.16 and 2.30
	mvhd := box("mvhd", u32(0, 0, 0, 1000, 0),                            // version and flags, created, modified, timescale, duration
		u32(0x00010000), []byte{1, 0}, make([]byte, 10), // rate 1.0, volume 1.0, reserved
		identity, make([]byte, 24), u32(1)) // pre-defined, next track id
	return append(ftyp, box("moov", mvhd)...)
}

// sampleWebP is a 512×512 sticker (WhatsApp's sticker size) of one colour,
// lossless: with a single symbol per prefix code every pixel takes no bits.
func sampleWebP() []byte {
	const side = 512
	var w bitWriter
	w.bits(0x2f, 8) // VP8L signature
	w.bits(side-1, 14)
	w.bits(side-1, 14)
	w.bits(1, 1) // alpha is used
	w.bits(0, 3) // version
	w.bits(0, 1) // no transform
	w.bits(0, 1) // no colour cache
	w.bits(0, 1) // no meta prefix codes
	// green, red, blue, alpha, distance: each a simple code of one 8-bit symbol.
	for _, symbol := range []uint32{0xb0, 0x25, 0xd3, 0xff, 0} {
		w.bits(1, 1) // simple code
		w.bits(0, 1) // one symbol
		w.bits(1, 1) // of 8 bits
		w.bits(symbol, 8)
	}
	chunk := w.bytes()
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+len(chunk)+len(chunk)%2))
	b.WriteString("WEBPVP8L")
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(chunk)))
	b.Write(chunk)
	if len(chunk)%2 == 1 {
		b.WriteByte(0) // RIFF chunks are padded to an even size
	}
	return b.Bytes()
}

// bitWriter packs values least significant bit first, as VP8L reads them.
type bitWriter struct {
	out []byte
	n   uint
}

func (w *bitWriter) bits(v uint32, count uint) {
	for i := range count {
		if w.n%8 == 0 {
			w.out = append(w.out, 0)
		}
		w.out[len(w.out)-1] |= byte(v>>i&1) << (w.n % 8)
		w.n++
	}
}

func (w *bitWriter) bytes() []byte { return w.out }
