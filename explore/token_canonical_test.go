package explore

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// signed returns body with its checksum appended, as Token does.
func signed(body string) string {
	return body + "." + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body)))
}

// payloadToken is a token of model m with the raw payload p.
func payloadToken(m string, p []byte) string {
	return signed("ts1." + m + ".." + base64.RawURLEncoding.EncodeToString(p))
}

// TestTokensAreCanonical: each token here decodes, with the format's
// rules read loosely, to a schedule whose Token is another string (a
// step count dropped, an overlong varint shortened, ...). Every one must
// be refused, so that an accepted token is the one its schedule prints.
func TestTokensAreCanonical(t *testing.T) {
	dfs := []byte{3, 'd', 'f', 's'}
	cat := func(parts ...[]byte) []byte {
		return []byte(strings.Join(func() []string {
			var ss []string
			for _, p := range parts {
				ss = append(ss, string(p))
			}
			return ss
		}(), ""))
	}
	shape := []byte{9, 0xde, 0xad, 0xbe, 0xef}
	cases := map[string]string{
		"a shape with steps and digest 0": payloadToken("m", cat(dfs, []byte{1, 0}, []byte{9, 0, 0, 0, 0})),
		"an overlong decision":            payloadToken("m", cat(dfs, []byte{1, 0x80, 0x00})),
		"an overlong decision count":      payloadToken("m", cat(dfs, []byte{0x81, 0x00, 0})),
		"an overlong step count":          payloadToken("m", cat(dfs, []byte{1, 0}, []byte{0x89, 0x00, 0xde, 0xad, 0xbe, 0xef})),
		"the limit before the cycle":      payloadToken("m", cat(dfs, []byte{1, 0}, shape, []byte{'l', 9, 'c', 4})),
		"a repeated cycle":                payloadToken("m", cat(dfs, []byte{1, 0}, shape, []byte{'c', 4, 'c', 5})),
		"an escaped safe character":       signed("ts1.%6D.." + base64.RawURLEncoding.EncodeToString(cat(dfs, []byte{0}))),
		"a lower-case escape":             signed("ts1.a%2fb.." + base64.RawURLEncoding.EncodeToString(cat(dfs, []byte{0}))),
		"a version with a leading zero":   signed("ts01.m.." + base64.RawURLEncoding.EncodeToString(cat(dfs, []byte{0}))),
		"a version with a sign":           signed("ts+1.m.." + base64.RawURLEncoding.EncodeToString(cat(dfs, []byte{0}))),
		"base64 with stray trailing bits": signed("ts1.m..A2RmcwB"),
	}
	for name, tok := range cases {
		if s, err := ParseToken(tok); err == nil {
			t.Errorf("%s: ParseToken(%s) accepted it as %+v, which prints %s", name, tok, s, s.Token())
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: a multi-line error: %q", name, err)
		}
	}
}

// FuzzParseToken: ParseToken never panics, and whatever it accepts is
// canonical: its schedule's Token is the input (less surrounding space),
// which decodes to the same schedule. `go test -run XXX -fuzz
// FuzzParseToken ./explore` searches further than the seeds.
func FuzzParseToken(f *testing.F) {
	for _, s := range []Schedule{
		{Model: "lost-update", Params: "n=2", Strategy: "dfs", Decisions: []int{0, 1, 2}, Shape: Shape{Steps: 68, Digest: 0x44cfdb3c}},
		{Model: "polite-backoff", Strategy: "stateful", Decisions: []int{1, 0, 1}, Shape: Shape{Steps: 13, Digest: 7}, Cycle: 4},
		{Model: "spin", Strategy: "random", Decisions: []int{1, 1}, Shape: Shape{Steps: 50, Digest: 9}, Limit: 50},
		{Model: "odd name/ü", Params: "a=b c", Strategy: "pct", Decisions: []int{1 << 20}},
		{Model: "m"},
	} {
		f.Add(s.Token())
	}
	for _, tok := range []string{
		"ts1.lost-update.n=2.A2RmcykAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAETP2zz9.6972ad5d",
		"ts1.polite-backoff..CHN0YXRlZnVsCwAAAQEBAQAAAAEBDYyef9hjBA.435db041",
		"ts1.withdrawals..A2RmcwUAAAEAABTUmJNh.ec19cca6",
		"  ts1.m..A2RmcwA.00000000\n", "ts1", "", "ts2.m..AA.00000000", "\ufeffts1.m..A2RmcwA.5d0e0d6e",
	} {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		s, err := ParseToken(tok)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if got, want := s.Token(), strings.TrimSpace(tok); got != want {
			t.Fatalf("ParseToken(%q) accepted a token its schedule prints as %q", want, got)
		}
		again, err := ParseToken(s.Token())
		if err != nil {
			t.Fatalf("the re-encoded token is refused: %v", err)
		}
		if diff := cmp.Diff(s, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("decode(encode(s)) != s (-first +again):\n%s", diff)
		}
	})
}

// FuzzTokenPayload fuzzes past the checksum: the input is a payload,
// signed as Token signs it, so the decoder's varints, shape and trailer
// are what the fuzzer mutates. Whatever is accepted must be canonical.
func FuzzTokenPayload(f *testing.F) {
	f.Add([]byte{3, 'd', 'f', 's', 2, 0, 1, 9, 0xde, 0xad, 0xbe, 0xef, 'c', 4, 'l', 9})
	f.Add([]byte{3, 'd', 'f', 's', 1, 0, 9, 0, 0, 0, 0})
	f.Add([]byte{3, 'd', 'f', 's', 0x81, 0x00, 0})
	f.Add([]byte{0, 0})
	f.Fuzz(func(t *testing.T, payload []byte) {
		tok := payloadToken("m", payload)
		s, err := ParseToken(tok)
		if err != nil {
			return
		}
		if got := s.Token(); got != tok {
			t.Fatalf("payload %x accepted as %+v, which prints %s, not %s", payload, s, got, tok)
		}
	})
}
