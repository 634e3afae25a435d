package geometry;

import java.util.ArrayList;
import java.util.List;

/** A simple polygon given by its vertices in order. */
public class Polygon {
    private final List<double[]> vertices = new ArrayList<>();

    public Polygon add(double x, double y) {
        vertices.add(new double[] {x, y});
        return this;
    }

    /** Area by the shoelace formula; positive for counter-clockwise vertices. */
    public double signedArea() {
        double sum = 0.0;
        int n = vertices.size();
        for (int i = 0; i < n; i++) {
            double[] a = vertices.get(i);
            double[] b = vertices.get((i + 1) % n);
            sum += a[0] * b[1] - b[0] * a[1];
        }
        return sum / 2.0;
    }

    public int size() {
        return vertices.size();
    }
}
