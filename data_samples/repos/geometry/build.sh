#!/bin/sh
# Build the C part of the geometry library and run the Rust tests.
set -eu
cc -O2 -c matrix.c -o matrix.o
ar rcs libgeometry.a matrix.o
if command -v cargo >/dev/null 2>&1; then
  cargo test --quiet
fi
echo "built libgeometry.a"
