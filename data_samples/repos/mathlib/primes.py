"""Prime numbers: a sieve and a primality test."""


def sieve(limit):
    """All primes below ``limit`` by the sieve of Eratosthenes."""
    if limit < 3:
        return []
    flags = [True] * limit
    flags[0] = flags[1] = False
    for p in range(2, int(limit ** 0.5) + 1):
        if flags[p]:
            for multiple in range(p * p, limit, p):
                flags[multiple] = False
    return [n for n, is_prime in enumerate(flags) if is_prime]


def is_prime(n):
    """Trial division by 2 and odd numbers up to the square root."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True
