"""Shortest paths in an unweighted graph given as an adjacency mapping."""

from collections import deque
from collections.abc import Hashable, Mapping, Sequence

Graph = Mapping[Hashable, Sequence[Hashable]]


def shortest_path(graph: Graph, start: Hashable, goal: Hashable) -> list[Hashable] | None:
    """Breadth-first search; returns the node list from start to goal, or None if unreachable."""
    previous: dict[Hashable, Hashable | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return _walk_back(previous, goal)
        for neighbour in graph.get(node, ()):
            if neighbour not in previous:
                previous[neighbour] = node
                queue.append(neighbour)
    return None


def _walk_back(previous: dict[Hashable, Hashable | None], goal: Hashable) -> list[Hashable]:
    path = [goal]
    while previous[path[-1]] is not None:
        path.append(previous[path[-1]])
    return path[::-1]
