"""The wire between a C/C++ judge and its candidate: length-prefixed frames of plain data.

``WIRE_H`` is included by both sides (C or C++). Both know each value's type from the
function's signature, so a frame carries only the bytes: scalars as their own bytes (a bool
must be 0 or 1), strings and arrays as a 64-bit count and their items, C++ containers
(``std::string``, ``vector``, ``map``, ``set``, ``unordered_map``, ``unordered_set``, ``pair``,
``tuple``) recursively. The judge reads what the candidate sent with bounds checks on every
read: anything malformed, short or left over ends the judge with ``NotPlainData`` (exit
``NOT_PLAIN``), never reads outside the frame.
"""

from __future__ import annotations

NOT_PLAIN = 123  # a judge's exit code: the candidate's reply was not the plain data it declared

WIRE_H = r"""
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/types.h>
#define SK_MAX_FRAME (64u << 20)
#define SK_NOT_PLAIN NOT_PLAIN_CODE
typedef struct { unsigned char *p; size_t n, cap; } sk_out;
typedef struct { const unsigned char *p, *end; } sk_in;
static void sk_bad(const char *why) {
    const char *head = "\nseedkit sandbox: NotPlainData: ";
    ssize_t r = write(2, head, strlen(head)); r = write(2, why, strlen(why)); r = write(2, "\n", 1); (void)r;
    _exit(SK_NOT_PLAIN);
}
static void sk_put_raw(sk_out *o, const void *d, size_t n) {
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->n + n) cap *= 2;
        unsigned char *p = (unsigned char *)realloc(o->p, cap);
        if (!p) sk_bad("out of memory");
        o->p = p; o->cap = cap;
    }
    if (n) memcpy(o->p + o->n, d, n);
    o->n += n;
}
static void sk_get_raw(sk_in *i, void *d, size_t n) {
    if ((size_t)(i->end - i->p) < n) sk_bad("a reply shorter than its type");
    if (n) memcpy(d, i->p, n);
    i->p += n;
}
static uint64_t sk_get_count(sk_in *i, size_t item_min) {
    uint64_t n; sk_get_raw(i, &n, 8);
    if (item_min && n > (uint64_t)(i->end - i->p) / item_min) sk_bad("a count larger than the reply");
    return n;
}
static void sk_put_count(sk_out *o, uint64_t n) { sk_put_raw(o, &n, 8); }
static unsigned char sk_get_bool(sk_in *i) {
    unsigned char b; sk_get_raw(i, &b, 1);
    if (b > 1) sk_bad("a bool that is neither 0 nor 1");
    return b;
}
static void sk_put_cstr(sk_out *o, const char *s) {
    unsigned char present = s != NULL; sk_put_raw(o, &present, 1);
    if (s) { uint64_t n = strlen(s); sk_put_count(o, n); sk_put_raw(o, s, n); }
}
static char *sk_get_cstr(sk_in *i) {
    if (!sk_get_bool(i)) return NULL;
    uint64_t n = sk_get_count(i, 1);
    char *s = (char *)malloc(n + 1);
    if (!s) sk_bad("out of memory");
    sk_get_raw(i, s, n); s[n] = 0;
    if (strlen(s) != n) sk_bad("a string with a NUL inside");
    return s;
}
/* an array of n items of size bytes each (C pointers with a length) */
static void sk_put_array(sk_out *o, const void *p, uint64_t n, size_t size) {
    sk_put_count(o, n);
    if (n) sk_put_raw(o, p, n * size);
}
static void *sk_get_array(sk_in *i, uint64_t *n, size_t size) {
    *n = sk_get_count(i, size);
    void *p = malloc(*n ? *n * size : 1);
    if (!p) sk_bad("out of memory");
    sk_get_raw(i, p, *n * size);
    return p;
}
static void sk_get_array_into(sk_in *i, void *p, uint64_t n, size_t size) {
    if (sk_get_count(i, size) != n) sk_bad("an array that changed length");
    sk_get_raw(i, p, n * size);
}
static uint64_t sk_length(long long n) { return n < 0 ? 0 : (uint64_t)n > (1u << 24) ? (1u << 24) : (uint64_t)n; }
static int sk_read_all(int fd, void *d, size_t n) {
    unsigned char *p = (unsigned char *)d;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return 0;
        p += r; n -= (size_t)r;
    }
    return 1;
}
static int sk_write_all(int fd, const void *d, size_t n) {
    const unsigned char *p = (const unsigned char *)d;
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return 0;
        p += r; n -= (size_t)r;
    }
    return 1;
}
static int sk_send(int fd, sk_out *o) {
    uint32_t n = (uint32_t)o->n;
    return sk_write_all(fd, &n, 4) && sk_write_all(fd, o->p, o->n);
}
/* a whole frame, or NULL at the end of the channel */
static unsigned char *sk_receive(int fd, size_t *size) {
    uint32_t n;
    if (!sk_read_all(fd, &n, 4)) return NULL;
    if (n > SK_MAX_FRAME) sk_bad("a reply over 64 MB");
    unsigned char *p = (unsigned char *)malloc(n ? n : 1);
    if (!p) sk_bad("out of memory");
    if (!sk_read_all(fd, p, n)) return NULL;
    *size = n;
    return p;
}
""".replace("NOT_PLAIN_CODE", str(NOT_PLAIN))

# C++: the declarations first (the templates call each other), then only the pieces of the
# containers a job's signatures use (each standard header parsed costs compile time).
CPP_HEAD = r"""
#include <string>
#include <type_traits>
#include <utility>
namespace sk {
template <class T> typename std::enable_if<std::is_arithmetic<T>::value && !std::is_same<T, bool>::value>::type
put(sk_out &o, const T &v) { sk_put_raw(&o, &v, sizeof v); }
template <class T> typename std::enable_if<std::is_arithmetic<T>::value && !std::is_same<T, bool>::value>::type
get(sk_in &i, T &v) { sk_get_raw(&i, &v, sizeof v); }
inline void put(sk_out &o, const bool &v) { unsigned char b = v ? 1 : 0; sk_put_raw(&o, &b, 1); }
inline void get(sk_in &i, bool &v) { v = sk_get_bool(&i) != 0; }
inline void put(sk_out &o, const std::string &v) { sk_put_count(&o, v.size()); sk_put_raw(&o, v.data(), v.size()); }
inline void get(sk_in &i, std::string &v) { uint64_t n = sk_get_count(&i, 1); v.assign((const char *)i.p, n); i.p += n; }
template <class C> void put_items(sk_out &o, const C &c);
%(declarations)s
template <class C> void put_items(sk_out &o, const C &c) { sk_put_count(&o, c.size()); for (const auto &x : c) put(o, x); }
"""
CPP_PIECES = {
    "std::vector": ("#include <vector>\n",
               r"""template <class T> void put(sk_out &o, const std::vector<T> &v);
template <class T> void get(sk_in &i, std::vector<T> &v);""",
               r"""template <class T> void put(sk_out &o, const std::vector<T> &v) { put_items(o, v); }
template <class T> void get(sk_in &i, std::vector<T> &v) {
    uint64_t n = sk_get_count(&i, 1); v.clear();
    for (uint64_t k = 0; k < n; k++) { T x{}; get(i, x); v.push_back(std::move(x)); }
}"""),
    "std::map": ("#include <map>\n",
               r"""template <class K, class V> void put(sk_out &o, const std::map<K, V> &v);
template <class K, class V> void get(sk_in &i, std::map<K, V> &v);""",
               r"""template <class K, class V> void put(sk_out &o, const std::map<K, V> &v) {
    sk_put_count(&o, v.size()); for (const auto &x : v) { put(o, x.first); put(o, x.second); }
}
template <class K, class V> void get(sk_in &i, std::map<K, V> &v) {
    uint64_t n = sk_get_count(&i, 1); v.clear();
    for (uint64_t k = 0; k < n; k++) { K a{}; V b{}; get(i, a); get(i, b); v[std::move(a)] = std::move(b); }
}"""),
    "std::unordered_map": ("#include <unordered_map>\n",
               r"""template <class K, class V> void put(sk_out &o, const std::unordered_map<K, V> &v);
template <class K, class V> void get(sk_in &i, std::unordered_map<K, V> &v);""",
               r"""template <class K, class V> void put(sk_out &o, const std::unordered_map<K, V> &v) {
    sk_put_count(&o, v.size()); for (const auto &x : v) { put(o, x.first); put(o, x.second); }
}
template <class K, class V> void get(sk_in &i, std::unordered_map<K, V> &v) {
    uint64_t n = sk_get_count(&i, 1); v.clear();
    for (uint64_t k = 0; k < n; k++) { K a{}; V b{}; get(i, a); get(i, b); v[std::move(a)] = std::move(b); }
}"""),
    "std::set": ("#include <set>\n",
               r"""template <class T> void put(sk_out &o, const std::set<T> &v);
template <class T> void get(sk_in &i, std::set<T> &v);""",
               r"""template <class T> void put(sk_out &o, const std::set<T> &v) { put_items(o, v); }
template <class T> void get(sk_in &i, std::set<T> &v) {
    uint64_t n = sk_get_count(&i, 1); v.clear();
    for (uint64_t k = 0; k < n; k++) { T x{}; get(i, x); v.insert(std::move(x)); }
}"""),
    "std::unordered_set": ("#include <unordered_set>\n",
               r"""template <class T> void put(sk_out &o, const std::unordered_set<T> &v);
template <class T> void get(sk_in &i, std::unordered_set<T> &v);""",
               r"""template <class T> void put(sk_out &o, const std::unordered_set<T> &v) { put_items(o, v); }
template <class T> void get(sk_in &i, std::unordered_set<T> &v) {
    uint64_t n = sk_get_count(&i, 1); v.clear();
    for (uint64_t k = 0; k < n; k++) { T x{}; get(i, x); v.insert(std::move(x)); }
}"""),
    "std::pair": ("",
               r"""template <class A, class B> void put(sk_out &o, const std::pair<A, B> &v);
template <class A, class B> void get(sk_in &i, std::pair<A, B> &v);""",
               r"""template <class A, class B> void put(sk_out &o, const std::pair<A, B> &v) { put(o, v.first); put(o, v.second); }
template <class A, class B> void get(sk_in &i, std::pair<A, B> &v) { get(i, v.first); get(i, v.second); }"""),
    "std::tuple": ("#include <tuple>\n",
               r"""template <class... T> void put(sk_out &o, const std::tuple<T...> &v);
template <class... T> void get(sk_in &i, std::tuple<T...> &v);""",
               r"""template <class... T> void put(sk_out &o, const std::tuple<T...> &v) { std::apply([&](const auto &...x) { (put(o, x), ...); }, v); }
template <class... T> void get(sk_in &i, std::tuple<T...> &v) { std::apply([&](auto &...x) { (get(i, x), ...); }, v); }"""),
}
CPP_TAIL = "}  // namespace sk\n"


def wire_source(types: list[str], cpp: bool) -> str:
    """The wire for these types: the C part, and the C++ pieces of the containers they name."""
    if not cpp:
        return WIRE_H
    used = [name for name in CPP_PIECES if any(name + "<" in t for t in types)]
    includes = "".join(CPP_PIECES[name][0] for name in used)
    declarations = "\n".join(CPP_PIECES[name][1] for name in used)
    return (WIRE_H + includes + CPP_HEAD % {"declarations": declarations} +
            "\n".join(CPP_PIECES[name][2] for name in used) + "\n" + CPP_TAIL)
