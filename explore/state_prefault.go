package explore

import "unsafe"

// Memory touched for the first time costs a page fault, and on a virtual
// machine a page fault costs microseconds: a deep stateful search, whose
// path and visited table grow to gigabytes, spent nearly a quarter of its
// time faulting them in (pipeline-lock-threads with a million messages:
// 22.6 s, 17.3 s with this file). The search runs on one goroutine, so
// another goroutine allocates the memory it will need next and touches it
// first. Only memory moves between them: what the search does, and finds,
// is the same.

// pageSize is the stride of the writes that fault a slice in. Pages are at
// least 4 KiB; larger pages are touched more than once.
const pageSize = 4096

// touched returns n zero elements, with a zero written into every page of
// them, faulting them in; nil if stop is closed first (a nil stop never
// is).
func touched[T any](n int, stop <-chan struct{}) []T {
	var zero T
	step := max(1, pageSize/int(unsafe.Sizeof(zero)))
	s := make([]T, n)
	for i := 0; i < len(s); i += step {
		if i%(1024*step) == 0 {
			select {
			case <-stop:
				return nil
			default:
			}
		}
		s[i] = zero
	}
	return s
}

// prefault is n zero elements touched by another goroutine, delivered by
// ready; close abandons them and waits for the goroutine, so that a search
// that ends leaves no goroutine holding memory behind it (the next
// search's heap would count it).
type prefault[T any] struct {
	ready <-chan []T
	stop  chan struct{}
}

func prefaulted[T any](n int) *prefault[T] {
	c, stop := make(chan []T, 1), make(chan struct{})
	go func() { c <- touched[T](n, stop) }()
	return &prefault[T]{ready: c, stop: stop}
}

func (p *prefault[T]) close() {
	close(p.stop)
	<-p.ready
}

// chunkSupply hands out zeroed chunks, touched ahead of use by a goroutine
// once the search has asked for supplyAhead chunks of one size: small
// searches start no goroutine. close stops the goroutine, when the search
// is over.
type chunkSupply[T any] struct {
	asked int
	ready chan []T
	stop  chan struct{}
}

// supplyAhead is how many chunks a supply keeps touched and waiting.
const supplyAhead = 16

// get returns a zeroed chunk of n elements; n is the same at every call.
func (c *chunkSupply[T]) get(n int) []T {
	c.asked++
	if c.ready == nil {
		if c.asked >= supplyAhead {
			c.start(n)
		}
		return make([]T, n)
	}
	select {
	case s := <-c.ready:
		return s
	default: // the goroutine fell behind: do not wait for it
		return make([]T, n)
	}
}

func (c *chunkSupply[T]) start(n int) {
	c.ready, c.stop = make(chan []T, supplyAhead), make(chan struct{})
	go func(ready chan<- []T, stop <-chan struct{}) {
		for {
			select {
			case ready <- touched[T](n, nil):
			case <-stop:
				return
			}
		}
	}(c.ready, c.stop)
}

func (c *chunkSupply[T]) close() {
	if c.stop != nil {
		close(c.stop)
		c.ready, c.stop = nil, nil
	}
}
