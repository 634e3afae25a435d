export interface Point {
  x: number;
  y: number;
}

export interface Box {
  min: Point;
  max: Point;
}

/** Smallest axis-aligned box holding every point; null for no points. */
export function boundingBox(points: Point[]): Box | null {
  if (points.length === 0) {
    return null;
  }
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return {
    min: { x: Math.min(...xs), y: Math.min(...ys) },
    max: { x: Math.max(...xs), y: Math.max(...ys) },
  };
}
