package explore

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
)

// TokenVersion is the schedule format version tokens carry.
const TokenVersion = 1

// Schedule is the data of one execution: every decision taken at a real
// choice point (two or more options, or a draw of two or more values), in
// order, with what it was explored for. Replaying it against the same
// model reproduces the execution exactly.
type Schedule struct {
	Version  int
	Model    string
	Params   string
	Strategy string
	// Decisions are the recorded decisions; their count is part of the
	// schedule, so a replay that ends early or late is detected.
	Decisions []int
	// Shape, when recorded, lets a replay detect that it took other steps.
	// Only a stuck model's schedule up to where it blocked has none, and
	// Replay refuses such a schedule whose execution ends.
	Shape Shape
	// Cycle, for a livelock, is 1 + the step at which its cycle begins:
	// the execution's last steps, from there, return to that state. A
	// replay checks that they do. 0 for other schedules.
	Cycle int
	// Limit, for a step-limit failure, is the step limit it ran under, so
	// that the replay stops where it did. 0 for other schedules.
	Limit int
}

// Token returns the schedule as one copyable string:
//
//	ts1.<model>.<params>.<payload>.<crc32>
//
// model and params are escaped (%XX) outside [A-Za-z0-9_=,:+-]; payload is
// unpadded base64url of the strategy and the decision count and decisions
// as uvarints, then, when recorded, the shape (steps as a uvarint and the
// 4-byte digest) followed by tagged uvarints: 'c' and a livelock's cycle,
// 'l' and a step-limit failure's limit; crc32 (IEEE, 8 hex digits) covers
// everything before it.
func (s Schedule) Token() string {
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(len(s.Strategy)))
	buf = append(buf, s.Strategy...)
	buf = binary.AppendUvarint(buf, uint64(len(s.Decisions)))
	for _, d := range s.Decisions {
		buf = binary.AppendUvarint(buf, uint64(d))
	}
	if s.Shape.Digest != 0 {
		buf = binary.AppendUvarint(buf, uint64(s.Shape.Steps))
		buf = binary.BigEndian.AppendUint32(buf, s.Shape.Digest)
		for _, x := range [...]struct {
			tag byte
			v   int
		}{{'c', s.Cycle}, {'l', s.Limit}} {
			if x.v > 0 {
				buf = binary.AppendUvarint(append(buf, x.tag), uint64(x.v))
			}
		}
	}
	v := s.Version
	if v == 0 {
		v = TokenVersion
	}
	body := "ts" + strconv.Itoa(v) + "." + escape(s.Model) + "." + escape(s.Params) + "." +
		base64.RawURLEncoding.EncodeToString(buf)
	return body + "." + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body)))
}

// ErrToken is wrapped by every ParseToken error.
var ErrToken = errors.New("bad token")

// ParseToken decodes a token made by Schedule.Token. Its errors are one
// line each: malformed, truncated, bad checksum, or another version.
//
// Tokens are canonical: ParseToken accepts only what Token makes, so an
// accepted token (less surrounding space) is exactly the Token of the
// schedule it decodes to. Overlong varints, non-canonical base64 or
// %-escapes, a shape without its digest and reordered or repeated fields
// after the shape are refused.
func ParseToken(tok string) (Schedule, error) {
	tok = strings.TrimSpace(tok)
	parts := strings.Split(tok, ".")
	if len(parts) == 0 || !strings.HasPrefix(parts[0], "ts") {
		return Schedule{}, tokenErr("it does not start with \"ts1.\"")
	}
	v, err := strconv.Atoi(parts[0][2:])
	if err != nil || parts[0] != "ts"+strconv.Itoa(v) {
		return Schedule{}, tokenErr("it does not start with \"ts1.\"")
	}
	if v != TokenVersion {
		return Schedule{}, tokenErr(fmt.Sprintf("format version %d, this threadsim reads version %d", v, TokenVersion))
	}
	if len(parts) != 5 {
		return Schedule{}, tokenErr(fmt.Sprintf("%d dot-separated fields, want 5 (truncated or mangled?)", len(parts)))
	}
	body := tok[:len(tok)-len(parts[4])-1]
	if want := fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body))); parts[4] != want {
		return Schedule{}, tokenErr("checksum mismatch (truncated or mistyped?)")
	}
	return decodeToken(v, parts)
}

func decodeToken(v int, parts []string) (Schedule, error) {
	s := Schedule{Version: v}
	var err error
	if s.Model, err = unescape(parts[1]); err != nil {
		return s, tokenErr("bad model name: " + err.Error())
	}
	if s.Params, err = unescape(parts[2]); err != nil {
		return s, tokenErr("bad parameters: " + err.Error())
	}
	buf, err := base64.RawURLEncoding.Strict().DecodeString(parts[3])
	if err != nil {
		return s, tokenErr("bad payload encoding")
	}
	n, rest, ok := uvarint(buf)
	if !ok || n > uint64(len(rest)) {
		return s, tokenErr("payload truncated in the strategy")
	}
	s.Strategy, rest = string(rest[:n]), rest[n:]
	count, rest, ok := uvarint(rest)
	if !ok || count > uint64(len(rest)) {
		return s, tokenErr("payload truncated in the decision count")
	}
	s.Decisions = make([]int, 0, count)
	for range count {
		var d uint64
		if d, rest, ok = uvarint(rest); !ok || d > 1<<30 {
			return s, tokenErr(fmt.Sprintf("payload truncated at decision %d of %d", len(s.Decisions), count))
		}
		s.Decisions = append(s.Decisions, int(d))
	}
	if len(rest) == 0 {
		return s, nil
	}
	steps, rest, ok := uvarint(rest)
	if !ok || len(rest) < 4 || steps > maxShapeSteps {
		return s, tokenErr("bad execution shape after the decisions")
	}
	s.Shape = Shape{Steps: int(steps), Digest: binary.BigEndian.Uint32(rest)}
	if s.Shape.Digest == 0 { // ShapeOf never makes it, Token never writes it
		return s, tokenErr("execution shape without its digest")
	}
	return decodeTrailer(s, rest[4:])
}

// maxShapeSteps bounds the step count a shape can carry (an int on any
// platform, far beyond any execution).
const maxShapeSteps = 1 << 31

// trailerTags are the tags of the values after the shape, in the order
// Token writes them.
const trailerTags = "cl"

// decodeTrailer reads the tagged values after the shape: each at most
// once, in trailerTags' order.
func decodeTrailer(s Schedule, rest []byte) (Schedule, error) {
	next := 0 // index in trailerTags of the first tag still allowed
	for len(rest) > 0 {
		tag := rest[0]
		v, r, ok := uvarint(rest[1:])
		if !ok || v == 0 || v > uint64(s.Shape.Steps)+1 {
			return s, tokenErr("bad value after the execution shape")
		}
		i := strings.IndexByte(trailerTags, tag)
		switch {
		case i < 0:
			return s, tokenErr(fmt.Sprintf("unknown field %q after the execution shape", tag))
		case i < next:
			return s, tokenErr(fmt.Sprintf("field %q after the execution shape repeated or out of order", tag))
		case tag == 'c':
			s.Cycle = int(v)
		case tag == 'l':
			s.Limit = int(v)
		}
		next = i + 1
		rest = r
	}
	return s, nil
}

// uvarint reads one uvarint in its shortest encoding (as
// binary.AppendUvarint writes it): an overlong one is refused, so that no
// two payloads decode to one schedule.
func uvarint(b []byte) (uint64, []byte, bool) {
	v, n := binary.Uvarint(b)
	if n <= 0 || n != len(binary.AppendUvarint(nil, v)) {
		return 0, b, false
	}
	return v, b[n:], true
}

func tokenErr(msg string) error { return fmt.Errorf("%w: %s", ErrToken, msg) }

func tokenSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("_=,:+-", c) >= 0
}

func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; tokenSafe(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			if !tokenSafe(c) {
				return "", fmt.Errorf("character %q", c)
			}
			b.WriteByte(c)
			continue
		}
		if i+3 > len(s) {
			return "", errors.New("truncated %-escape")
		}
		x, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil || tokenSafe(byte(x)) || s[i+1:i+3] != fmt.Sprintf("%02X", x) {
			return "", fmt.Errorf("bad %%-escape %q", s[i:i+3])
		}
		b.WriteByte(byte(x))
		i += 2
	}
	return b.String(), nil
}
