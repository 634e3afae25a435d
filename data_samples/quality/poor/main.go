package main

import "fmt"

func main() {
	a := []int{3, 1, 2}
	for i := 0; i < len(a); i++ {
		for j := 0; j < len(a)-1; j++ {
			if a[j] > a[j+1] {
				t := a[j]
				a[j] = a[j+1]
				a[j+1] = t
			}
		}
	}
	fmt.Println(a)
	b := []int{9, 7, 8}
	for i := 0; i < len(b); i++ {
		for j := 0; j < len(b)-1; j++ {
			if b[j] > b[j+1] {
				t := b[j]
				b[j] = b[j+1]
				b[j+1] = t
			}
		}
	}
	fmt.Println(b)
	c := []int{6, 5, 4}
	for i := 0; i < len(c); i++ {
		for j := 0; j < len(c)-1; j++ {
			if c[j] > c[j+1] {
				t := c[j]
				c[j] = c[j+1]
				c[j+1] = t
			}
		}
	}
	fmt.Println(c)
}
