package python

import "sync"

// pool keeps idle fork servers. Each execution takes one and gives it
// back when it ends (sched's OnEnd), so parallel workers each have their
// own and a sequential search starts one.
type pool struct {
	in   *Interpreter
	mu   sync.Mutex
	idle []*server
	all  []*server
}

func (p *pool) get() (*server, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return s, nil
	}
	p.mu.Unlock()
	s, err := startServer(p.in)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.all = append(p.all, s)
	p.mu.Unlock()
	return s, nil
}

func (p *pool) put(s *server) {
	p.mu.Lock()
	p.idle = append(p.idle, s)
	p.mu.Unlock()
}

// close ends every server and its child.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.all {
		s.close()
	}
	p.all, p.idle = nil, nil
}
