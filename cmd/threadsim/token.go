package main

// token returns the replay token of a schedule of m, or "" when it cannot
// be made.
func (m model) token(decisions []int) string {
	return ""
}
