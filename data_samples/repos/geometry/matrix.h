#ifndef GEOMETRY_MATRIX_H
#define GEOMETRY_MATRIX_H

typedef struct {
    double m[2][2];
} Mat2;

Mat2 mat2_mul(Mat2 a, Mat2 b);
double mat2_det(Mat2 a);

#endif
