"""Greatest common divisor, least common multiple and fraction reduction."""

from mathlib.primes import is_prime


def gcd(a, b):
    """Euclid's algorithm on absolute values."""
    a, b = abs(a), abs(b)
    while b != 0:
        a, b = b, a % b
    return a


def lcm(a, b):
    """Least common multiple; 0 when either argument is 0."""
    if a == 0 or b == 0:
        return 0
    return abs(a * b) // gcd(a, b)


def reduce_fraction(numerator, denominator):
    """The fraction in lowest terms with a positive denominator."""
    if denominator == 0:
        raise ZeroDivisionError("denominator is zero")
    g = gcd(numerator, denominator)
    sign = -1 if denominator < 0 else 1
    return sign * numerator // g, sign * denominator // g


def is_prime_fraction(numerator, denominator):
    """True when both parts of the reduced fraction are prime."""
    n, d = reduce_fraction(numerator, denominator)
    return is_prime(n) and is_prime(d)
