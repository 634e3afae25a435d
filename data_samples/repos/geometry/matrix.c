#include "matrix.h"

/* Product of two 2x2 matrices. */
Mat2 mat2_mul(Mat2 a, Mat2 b) {
    Mat2 r;
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            r.m[i][j] = a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j];
        }
    }
    return r;
}

/* Determinant of a 2x2 matrix. */
double mat2_det(Mat2 a) {
    return a.m[0][0] * a.m[1][1] - a.m[0][1] * a.m[1][0];
}
