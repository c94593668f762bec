package offlinepkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Limits caps what a zip may declare in its central directory, so a zip bomb
// is refused before anything is extracted, uploaded or unpacked by a client.
type Limits struct {
	MaxEntries           int     // entries (files and folders) in the central directory
	MaxUncompressedBytes uint64  // sum of the declared uncompressed sizes
	MaxCompressionRatio  float64 // declared uncompressed total / zip file size, checked above 1 MiB
}

// DefaultLimits are the caps the provider and the emulator apply and the docs
// state:
//   - at most 20,000 entries;
//   - at most 2 GiB (2,147,483,648 bytes) uncompressed in total;
//   - at most 200 times expansion (uncompressed total / zip size), checked only
//     when the uncompressed total exceeds 1 MiB so tiny zips never trip it.
var DefaultLimits = Limits{
	MaxEntries:           20000,
	MaxUncompressedBytes: 2 << 30,
	MaxCompressionRatio:  200,
}

// ratioFloor is the uncompressed total above which the ratio cap applies.
const ratioFloor = 1 << 20

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultLimits.MaxEntries
	}
	if l.MaxUncompressedBytes == 0 {
		l.MaxUncompressedBytes = DefaultLimits.MaxUncompressedBytes
	}
	if l.MaxCompressionRatio <= 0 {
		l.MaxCompressionRatio = DefaultLimits.MaxCompressionRatio
	}
	return l
}

func (in *inspector) bombViolations(rep Report) []Violation {
	var vs []Violation
	if rep.Entries > in.lim.MaxEntries {
		vs = append(vs, tooManyEntries(uint64(rep.Entries), in.lim))
	}
	if rep.UncompressedBytes > in.lim.MaxUncompressedBytes {
		vs = append(vs, Violation{
			Rule: "bomb", Attribute: "source",
			Message: fmt.Sprintf("The zip declares %d bytes (%s) uncompressed in total; at most %d bytes (%s) are allowed, a cap against zip bombs. Make the package smaller.",
				rep.UncompressedBytes, humanBytes(rep.UncompressedBytes), in.lim.MaxUncompressedBytes, humanBytes(in.lim.MaxUncompressedBytes)),
		})
	}
	if rep.UncompressedBytes > ratioFloor {
		ratio := float64(rep.UncompressedBytes) / float64(in.size)
		if ratio > in.lim.MaxCompressionRatio {
			vs = append(vs, Violation{
				Rule: "bomb", Attribute: "source",
				Message: fmt.Sprintf("The zip would expand %.0f times (from %d bytes to %d bytes); at most %g times is allowed, a cap against zip bombs. Check the archive's contents.",
					ratio, in.size, rep.UncompressedBytes, in.lim.MaxCompressionRatio),
			})
		}
	}
	if in.tooBigCompressed.n > 0 {
		vs = append(vs, Violation{
			Rule: "bomb", Attribute: "source", Entry: in.tooBigCompressed.first(),
			Message: fmt.Sprintf("The zip has %s declaring a compressed size larger than the whole file (%d bytes): %s. Its central directory is corrupt or crafted; re-create the archive.",
				plural(in.tooBigCompressed.n, "entry", "entries"), in.size, in.tooBigCompressed.list()),
		})
	}
	return vs
}

func tooManyEntries(n uint64, lim Limits) Violation {
	return Violation{
		Rule: "bomb", Attribute: "source",
		Message: fmt.Sprintf("The zip declares %d entries; at most %d are allowed, a cap against zip bombs. Remove unneeded files or split the package.", n, lim.MaxEntries),
	}
}

func addSat(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}

func clampInt(n uint64) int {
	if n > uint64(maxInt) {
		return maxInt
	}
	return int(n)
}

const maxInt = int(^uint(0) >> 1)

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// eocdInfo is what the end-of-central-directory record declares.
type eocdInfo struct {
	found        bool
	entriesKnown bool
	entries      uint64
}

// readEOCD finds the end-of-central-directory record (and its zip64 form)
// and reads the declared entry count, so an absurd count is refused before
// archive/zip parses the directory. Any inconsistency leaves entriesKnown
// false and lets archive/zip judge the file.
func readEOCD(r io.ReaderAt, size int64) eocdInfo {
	const eocdLen = 22
	const maxComment = 0xffff
	if size < eocdLen {
		return eocdInfo{}
	}
	tailLen := min(size, int64(eocdLen+maxComment))
	tail := make([]byte, tailLen)
	if _, err := r.ReadAt(tail, size-tailLen); err != nil && !errors.Is(err, io.EOF) {
		return eocdInfo{}
	}
	pos := -1
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if tail[i] == 'P' && tail[i+1] == 'K' && tail[i+2] == 5 && tail[i+3] == 6 {
			comment := int(binary.LittleEndian.Uint16(tail[i+20:]))
			if i+eocdLen+comment <= len(tail) {
				pos = i
				break
			}
		}
	}
	if pos < 0 {
		return eocdInfo{}
	}
	info := eocdInfo{found: true}
	count := binary.LittleEndian.Uint16(tail[pos+10:])
	if count != 0xffff {
		info.entriesKnown, info.entries = true, uint64(count)
		return info
	}
	// zip64: the locator sits just before the EOCD record.
	eocdOffset := size - tailLen + int64(pos)
	loc := make([]byte, 20)
	if eocdOffset < 20 {
		return info
	}
	if _, err := r.ReadAt(loc, eocdOffset-20); err != nil || binary.LittleEndian.Uint32(loc) != 0x07064b50 {
		return info
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if size < 56 || off > uint64(size-56) {
		return info
	}
	rec := make([]byte, 56)
	if _, err := r.ReadAt(rec, int64(off)); err != nil || binary.LittleEndian.Uint32(rec) != 0x06064b50 {
		return info
	}
	info.entriesKnown, info.entries = true, binary.LittleEndian.Uint64(rec[32:])
	return info
}
