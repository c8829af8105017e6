package sched

import "testing"

// TestCreationsRace: ids are fixed by the program when one thread creates
// once others exist, or each thread creates only after the creation that
// started it; two threads that both create race for the next id.
func TestCreationsRace(t *testing.T) {
	spawnChild := func(u *Thread) { u.Join(u.Go("", func(*Thread) {})) }
	for _, c := range []struct {
		name string
		main func(*Thread)
		want bool
	}{
		{"main creates everything", func(m *Thread) {
			a := m.Go("", func(*Thread) {})
			b := m.Go("", func(*Thread) {})
			m.Join(a)
			m.Join(b)
		}, false},
		{"nested spawns", func(m *Thread) {
			m.Join(m.Go("", func(u *Thread) { spawnChild(u) }))
		}, false},
		{"two parents", func(m *Thread) {
			a := m.Go("", spawnChild)
			b := m.Go("", spawnChild)
			m.Join(a)
			m.Join(b)
		}, true},
	} {
		s := New(Options{})
		s.Run(c.main, FirstChooser{})
		if got := s.CreationsRace(); got != c.want {
			t.Errorf("%s: CreationsRace %v, want %v", c.name, got, c.want)
		}
		s.Close()
	}
}
