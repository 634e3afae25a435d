// Package stack provides a generic last-in, first-out stack.
package stack

import "errors"

// ErrEmpty is returned when popping or peeking an empty stack.
var ErrEmpty = errors.New("stack is empty")

// Stack holds items of any type; the zero value is an empty stack ready to use.
type Stack[T any] struct {
	items []T
}

// Push adds an item on top of the stack.
func (s *Stack[T]) Push(item T) {
	s.items = append(s.items, item)
}

// Pop removes and returns the top item.
func (s *Stack[T]) Pop() (T, error) {
	var zero T
	if len(s.items) == 0 {
		return zero, ErrEmpty
	}
	top := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return top, nil
}

// Len reports how many items the stack holds.
func (s *Stack[T]) Len() int {
	return len(s.items)
}
