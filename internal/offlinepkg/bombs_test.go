package offlinepkg

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestInspectRealCompressionBomb(t *testing.T) {
	// 8 MiB of zeros deflates to a few KiB: a ratio far above 200.
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fw, _ := w.Create(testID + "/zeros.bin")
	zeros := make([]byte, 1<<20)
	for range 8 {
		_, _ = fw.Write(zeros)
	}
	w.Close()
	rep, vs := Inspect(bytes.NewReader(buf.Bytes()), int64(buf.Len()), InspectOptions{H5AppID: testID})
	if got := rules(vs); !reflect.DeepEqual(got, []string{"bomb/source"}) || !strings.Contains(vs[0].Message, "expand") {
		t.Fatalf("got %v", vs)
	}
	if rep.UncompressedBytes != 8<<20 || rep.Entries != 1 || rep.CompressedBytes == 0 {
		t.Errorf("report = %+v", rep)
	}

	// Under 1 MiB the ratio is not checked.
	buf.Reset()
	w = zip.NewWriter(&buf)
	fw, _ = w.Create(testID + "/zeros.bin")
	_, _ = fw.Write(zeros[:1<<19])
	w.Close()
	if _, vs := Inspect(bytes.NewReader(buf.Bytes()), int64(buf.Len()), InspectOptions{H5AppID: testID}); len(vs) != 0 {
		t.Fatalf("small zip tripped: %v", vs)
	}
}

// patchCentralDirectorySizes rewrites every central-directory uncompressed
// size field, as a crafted bomb would.
func patchCentralDirectorySizes(data []byte, size uint32) []byte {
	out := bytes.Clone(data)
	for i := 0; ; {
		j := bytes.Index(out[i:], []byte("PK\x01\x02"))
		if j < 0 {
			return out
		}
		binary.LittleEndian.PutUint32(out[i+j+24:], size)
		i += j + 4
	}
}

func TestInspectPatchedBomb(t *testing.T) {
	data := zipBytes(t, f(testID+"/a.html"), f(testID+"/b.html"))
	data = patchCentralDirectorySizes(data, 0xfffffff0) // ~4 GiB each, no zip64
	rep, vs := Inspect(bytes.NewReader(data), int64(len(data)), InspectOptions{H5AppID: testID})
	if got := rules(vs); !reflect.DeepEqual(got, []string{"bomb/source", "bomb/source"}) {
		t.Fatalf("got %v", vs)
	}
	if rep.UncompressedBytes != 2*0xfffffff0 {
		t.Errorf("report = %+v", rep)
	}
}

func TestInspectDefaultEntryCap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20,001-entry zip")
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := range DefaultLimits.MaxEntries + 1 {
		h := &zip.FileHeader{Name: testID + "/" + strconv.Itoa(i), Method: zip.Store}
		if _, err := w.CreateHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	rep, vs := Inspect(bytes.NewReader(buf.Bytes()), int64(buf.Len()), InspectOptions{H5AppID: testID})
	if got := rules(vs); !reflect.DeepEqual(got, []string{"bomb/source"}) || !strings.Contains(vs[0].Message, "20001 entries; at most 20000") {
		t.Fatalf("got %v", vs)
	}
	if rep.Entries != 20001 {
		t.Errorf("entries = %d", rep.Entries)
	}
}

// toZip64 rewrites a small zip's end of central directory into the zip64
// form (zip64 end record + locator + a classic record whose counts are
// 0xffff), declaring the given entry count.
func toZip64(data []byte, entries uint64) []byte {
	eocd := bytes.LastIndex(data, []byte("PK\x05\x06"))
	cdSize := binary.LittleEndian.Uint32(data[eocd+12:])
	cdOffset := binary.LittleEndian.Uint32(data[eocd+16:])
	out := bytes.Clone(data[:eocd])
	z64 := len(out)
	rec := make([]byte, 56)
	binary.LittleEndian.PutUint32(rec[0:], 0x06064b50)
	binary.LittleEndian.PutUint64(rec[4:], 44)
	binary.LittleEndian.PutUint16(rec[12:], 45)
	binary.LittleEndian.PutUint16(rec[14:], 45)
	binary.LittleEndian.PutUint64(rec[24:], entries)
	binary.LittleEndian.PutUint64(rec[32:], entries)
	binary.LittleEndian.PutUint64(rec[40:], uint64(cdSize))
	binary.LittleEndian.PutUint64(rec[48:], uint64(cdOffset))
	out = append(out, rec...)
	loc := make([]byte, 20)
	binary.LittleEndian.PutUint32(loc[0:], 0x07064b50)
	binary.LittleEndian.PutUint64(loc[8:], uint64(z64))
	binary.LittleEndian.PutUint32(loc[16:], 1)
	out = append(out, loc...)
	end := bytes.Clone(data[eocd : eocd+22])
	binary.LittleEndian.PutUint16(end[8:], 0xffff)
	binary.LittleEndian.PutUint16(end[10:], 0xffff)
	return append(out, end...)
}

func TestReadEOCD(t *testing.T) {
	data := zipBytes(t, f(testID+"/a"), f(testID+"/b"))
	if info := readEOCD(bytes.NewReader(data), int64(len(data))); !info.found || !info.entriesKnown || info.entries != 2 {
		t.Fatalf("classic: %+v", info)
	}

	z64 := toZip64(data, 2)
	if info := readEOCD(bytes.NewReader(z64), int64(len(z64))); !info.found || !info.entriesKnown || info.entries != 2 {
		t.Fatalf("zip64: %+v", info)
	}
	rep, vs := Inspect(bytes.NewReader(z64), int64(len(z64)), InspectOptions{H5AppID: testID})
	if len(vs) != 0 || rep.Entries != 2 {
		t.Fatalf("zip64 inspect: rep=%+v vs=%v", rep, vs)
	}

	// A zip64 record declaring 2^40 entries is refused before parsing.
	huge := toZip64(data, 1<<40)
	rep, vs = Inspect(bytes.NewReader(huge), int64(len(huge)), InspectOptions{H5AppID: testID})
	if got := rules(vs); !reflect.DeepEqual(got, []string{"bomb/source"}) || !strings.Contains(vs[0].Message, "1099511627776 entries") {
		t.Fatalf("huge count: %v", vs)
	}
	if rep.Entries != 1<<40 {
		t.Errorf("entries = %d", rep.Entries)
	}

	// A zip with a trailing comment is still found.
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	_ = w.SetComment("a comment PK\x05\x06 with a fake signature")
	fw, _ := w.Create(testID + "/a")
	_, _ = fw.Write([]byte("x"))
	w.Close()
	if info := readEOCD(bytes.NewReader(buf.Bytes()), int64(buf.Len())); !info.found || info.entries != 1 {
		t.Fatalf("comment: %+v", info)
	}
	if info := readEOCD(bytes.NewReader([]byte("short")), 5); info.found {
		t.Fatalf("short: %+v", info)
	}
}

func TestDefaultLimits(t *testing.T) {
	if DefaultLimits.MaxEntries != 20000 || DefaultLimits.MaxUncompressedBytes != 2147483648 || DefaultLimits.MaxCompressionRatio != 200 {
		t.Fatalf("DefaultLimits changed: %+v (the docs state these values)", DefaultLimits)
	}
	if got := (Limits{MaxEntries: 7}).withDefaults(); got.MaxEntries != 7 || got.MaxUncompressedBytes != DefaultLimits.MaxUncompressedBytes {
		t.Errorf("withDefaults = %+v", got)
	}
}
