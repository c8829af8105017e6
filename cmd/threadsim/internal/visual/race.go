package visual

import (
	"github.com/threadsim/threadsim/sched"
)

// raceView is one data race for the race panel.
type raceView struct {
	ID            string // "R1"
	Object        string
	First, Second raceSide
}

// raceSide is one of a race's two accesses.
type raceSide struct {
	Step   int
	Thread string
	Access string
	Label  string
}

// markRaces tags the two steps of every race and returns the race panel.
func markRaces(p *page, r *sched.Result, n names) []raceView {
	var out []raceView
	for k, rc := range r.Races {
		v := raceView{ID: "R" + itoa(k+1), Object: n.object(rc.Obj),
			First: side(r, n, rc.First), Second: side(r, n, rc.Second)}
		tag(stepAt(p, r, rc.First.Step), v.ID, "first")
		tag(stepAt(p, r, rc.Second.Step), v.ID, "second")
		out = append(out, v)
	}
	return out
}

func side(r *sched.Result, n names, a sched.RaceAccess) raceSide {
	s := raceSide{Step: a.Step, Thread: n.thread(a.Thread), Access: a.Access.String()}
	if a.Step >= 0 && a.Step < len(r.Trace) {
		s.Label = n.label(r.Trace[a.Step])
		if d := r.Trace[a.Step].Detail; d != "" {
			s.Label += " → " + d
		}
	}
	return s
}

func tag(v *stepView, id, role string) {
	if v != nil {
		v.Races = append(v.Races, raceMark{ID: id, Role: role})
	}
}
