// Planted for the kit: unbalanced braces, tree-sitter must reject this file.
function total(items) {
  let sum = 0;
  for (const item of items {
    sum += item.price * item.quantity;
  return sum;
