package prims

import "github.com/threadsim/threadsim/sched"

// store is the storage of a Queue: CPython's _init/_qsize/_put/_get hooks.
type store[T any] interface {
	len() int
	push(x T)
	pop() T
	// appendState encodes the items in storage order, which decides the
	// order they come out in.
	appendState(b []byte) []byte
}

// appendItems encodes a run of items, count first.
func appendItems[T any](b []byte, items []T) []byte {
	b = sched.AppendInt(b, len(items))
	for _, x := range items {
		b = appendItem(b, x)
	}
	return b
}

// fifo is Queue's deque: first in, first out.
type fifo[T any] struct {
	items []T
	head  int
}

func (s *fifo[T]) len() int { return len(s.items) - s.head }

func (s *fifo[T]) push(x T) {
	if s.head > 0 && s.head == len(s.items) {
		s.items, s.head = s.items[:0], 0
	}
	s.items = append(s.items, x)
}

func (s *fifo[T]) appendState(b []byte) []byte { return appendItems(b, s.items[s.head:]) }

func (s *fifo[T]) pop() T {
	var zero T
	x := s.items[s.head]
	s.items[s.head] = zero
	s.head++
	return x
}

// lifo is LifoQueue's list used as a stack.
type lifo[T any] struct{ items []T }

func (s *lifo[T]) len() int { return len(s.items) }

func (s *lifo[T]) push(x T) { s.items = append(s.items, x) }

func (s *lifo[T]) appendState(b []byte) []byte { return appendItems(b, s.items) }

func (s *lifo[T]) pop() T {
	var zero T
	n := len(s.items) - 1
	x := s.items[n]
	s.items[n] = zero
	s.items = s.items[:n]
	return x
}

// heapStore is PriorityQueue's heap list (heapq): smallest first by less;
// equal items come out in no promised order.
type heapStore[T any] struct {
	items []T
	less  func(a, b T) bool
}

func (s *heapStore[T]) len() int { return len(s.items) }

func (s *heapStore[T]) push(x T) {
	s.items = append(s.items, x)
	for i := len(s.items) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(s.items[i], s.items[p]) {
			break
		}
		s.items[i], s.items[p] = s.items[p], s.items[i]
		i = p
	}
}

// appendState encodes the heap array as it is: with a less that is not a
// total order, the layout decides which of two equal items comes out
// first. less is fixed when the model creates the queue (like a barrier's
// action) and never changes: the queue's place in the state stands for it.
func (s *heapStore[T]) appendState(b []byte) []byte { return appendItems(b, s.items) }

func (s *heapStore[T]) pop() T {
	var zero T
	n := len(s.items) - 1
	x := s.items[0]
	s.items[0] = s.items[n]
	s.items[n] = zero
	s.items = s.items[:n]
	s.down(0)
	return x
}

func (s *heapStore[T]) down(i int) {
	for {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(s.items) && s.less(s.items[l], s.items[m]) {
			m = l
		}
		if r < len(s.items) && s.less(s.items[r], s.items[m]) {
			m = r
		}
		if m == i {
			return
		}
		s.items[i], s.items[m] = s.items[m], s.items[i]
		i = m
	}
}
