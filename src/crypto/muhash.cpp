// MuHash3072 and arithmetic modulo M = 2^3072 - 1103717.
//
// Multiplication: the full 6144-bit product (one level of Karatsuba over
// schoolbook 24x24-limb products with 128-bit limb products), then two
// folds using 2^3072 = C (mod M) with C = 1103717.
//
// Inversion: Bernstein and Yang's divsteps ("Fast constant-time gcd
// computation and modular inversion", 2019), in their variable-time form,
// 62 steps per batch on the low 62 bits, the batch's 2x2 transition matrix
// then applied to the full numbers. Numbers here are held in 50 signed
// limbs of 62 bits (value = sum v[i] * 2^(62 i), limbs 0..n-2 in [0, 2^62),
// the top limb signed), which leaves room for the signs and the matrix
// products in 128-bit accumulators.
#include "crypto/muhash.h"

#include "crypto/chacha20.h"
#include "crypto/sha256.h"

#include <cstring>
#include <stdexcept>

namespace cairn {
namespace {

using u128 = unsigned __int128;
using i128 = __int128;

constexpr int LIMBS = Num3072::LIMBS;
constexpr uint64_t C = Num3072::MAX_PRIME_DIFF;

/** r[0..2N) = a[0..N) * b[0..N), one row of products per limb of a. */
template <int N>
inline void MulSchoolbook(uint64_t* r, const uint64_t* a, const uint64_t* b)
{
    uint64_t carry = 0;
#pragma GCC unroll 8
    for (int j = 0; j < N; ++j) {
        const u128 t = u128(a[0]) * b[j] + carry;
        r[j] = uint64_t(t);
        carry = uint64_t(t >> 64);
    }
    r[N] = carry;
    for (int i = 1; i < N; ++i) {
        const uint64_t ai = a[i];
        carry = 0;
#pragma GCC unroll 8
        for (int j = 0; j < N; ++j) {
            const u128 t = u128(ai) * b[j] + r[i + j] + carry;
            r[i + j] = uint64_t(t);
            carry = uint64_t(t >> 64);
        }
        r[i + N] = carry;
    }
}

/** r[0..n) += x[0..n); returns the carry out. */
inline uint64_t AddTo(uint64_t* r, const uint64_t* x, int n)
{
    uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
        const u128 t = u128(r[i]) + x[i] + carry;
        r[i] = uint64_t(t);
        carry = uint64_t(t >> 64);
    }
    return carry;
}

/** r[0..n) -= x[0..n); returns the borrow out. */
inline uint64_t SubFrom(uint64_t* r, const uint64_t* x, int n)
{
    uint64_t borrow = 0;
    for (int i = 0; i < n; ++i) {
        const u128 t = u128(r[i]) - x[i] - borrow;
        r[i] = uint64_t(t);
        borrow = uint64_t(t >> 64) & 1;
    }
    return borrow;
}

/** r[0..96) = a * b by one level of Karatsuba over 24-limb halves:
 *  with a = a0 + a1 B and b = b0 + b1 B (B = 2^1536),
 *  a b = a0 b0 + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) B + a1 b1 B^2,
 *  three 24x24 products instead of four. */
void MulFull(uint64_t* r, const uint64_t* a, const uint64_t* b)
{
    constexpr int H = LIMBS / 2;
    uint64_t sa[H], sb[H], mid[2 * H + 1];
    std::memcpy(sa, a, sizeof(sa));
    std::memcpy(sb, b, sizeof(sb));
    const uint64_t ca = AddTo(sa, a + H, H); // a0 + a1 = sa + ca B
    const uint64_t cb = AddTo(sb, b + H, H);
    MulSchoolbook<H>(r, a, b);                 // a0 b0
    MulSchoolbook<H>(r + 2 * H, a + H, b + H); // a1 b1
    MulSchoolbook<H>(mid, sa, sb);
    // (sa + ca B)(sb + cb B) = sa sb + (ca sb + cb sa) B + ca cb B^2
    mid[2 * H] = ca & cb;
    if (ca) mid[2 * H] += AddTo(mid + H, sb, H);
    if (cb) mid[2 * H] += AddTo(mid + H, sa, H);
    mid[2 * H] -= SubFrom(mid, r, 2 * H);
    mid[2 * H] -= SubFrom(mid, r + 2 * H, 2 * H);
    uint64_t carry = AddTo(r + H, mid, 2 * H + 1);
    for (int i = 3 * H + 1; carry && i < 2 * LIMBS; ++i) {
        r[i] += carry;
        carry = r[i] == 0;
    }
}

/** r[0..96) = a * a: each cross product once, doubled, plus the squares. */
void SqrFull(uint64_t* r, const uint64_t* a)
{
    r[0] = 0;
    r[2 * LIMBS - 1] = 0;
    uint64_t carry = 0;
    for (int j = 1; j < LIMBS; ++j) {
        const u128 t = u128(a[0]) * a[j] + carry;
        r[j] = uint64_t(t);
        carry = uint64_t(t >> 64);
    }
    r[LIMBS] = carry;
    for (int i = 1; i < LIMBS - 1; ++i) {
        const uint64_t ai = a[i];
        carry = 0;
        for (int j = i + 1; j < LIMBS; ++j) {
            const u128 t = u128(ai) * a[j] + r[i + j] + carry;
            r[i + j] = uint64_t(t);
            carry = uint64_t(t >> 64);
        }
        r[i + LIMBS] = carry;
    }
    // Double (the top bit of the cross-product sum is below 2^6143), then add
    // the squares a[i]^2 at limb 2i.
    for (int i = 2 * LIMBS - 1; i > 0; --i) r[i] = (r[i] << 1) | (r[i - 1] >> 63);
    r[0] <<= 1;
    carry = 0;
    for (int i = 0; i < LIMBS; ++i) {
        const u128 sq = u128(a[i]) * a[i];
        u128 t = u128(r[2 * i]) + uint64_t(sq) + carry;
        r[2 * i] = uint64_t(t);
        t = u128(r[2 * i + 1]) + uint64_t(sq >> 64) + uint64_t(t >> 64);
        r[2 * i + 1] = uint64_t(t);
        carry = uint64_t(t >> 64);
    }
}

/** out = r mod M, below 2^3072 (not necessarily below M). */
void Reduce(uint64_t* out, const uint64_t* r)
{
    // r = L + H * 2^3072 = L + H * C: at most (C + 1) * 2^3072.
    uint64_t carry = 0;
    for (int i = 0; i < LIMBS; ++i) {
        const u128 t = u128(r[LIMBS + i]) * C + r[i] + carry;
        out[i] = uint64_t(t);
        carry = uint64_t(t >> 64);
    }
    // carry <= C; fold carry * 2^3072 = carry * C once more.
    u128 t = u128(carry) * C + out[0];
    out[0] = uint64_t(t);
    carry = uint64_t(t >> 64);
    for (int i = 1; carry && i < LIMBS; ++i) {
        out[i] += carry;
        carry = out[i] == 0;
    }
    if (carry) {
        // The sum passed 2^3072 by less than 2^42; drop 2^3072, add C. The
        // low limbs are now tiny, so this cannot carry out again.
        t = u128(out[0]) + C;
        out[0] = uint64_t(t);
        carry = uint64_t(t >> 64);
        for (int i = 1; carry && i < LIMBS; ++i) {
            out[i] += carry;
            carry = out[i] == 0;
        }
    }
}

// ---- Inversion ------------------------------------------------------------

constexpr int S62_LIMBS = 50; // 3100 bits: 3072 plus room for a sign
constexpr uint64_t M62 = (uint64_t{1} << 62) - 1;
constexpr int TOP_BITS = 3072 - 62 * (S62_LIMBS - 1); // 34 bits of M in the top limb

struct S62 {
    int64_t v[S62_LIMBS];
};

/** From 48 64-bit limbs of a value below 2^3072. */
void ToS62(S62& out, const uint64_t* in)
{
    for (int i = 0; i < S62_LIMBS; ++i) {
        const int pos = 62 * i, w = pos / 64, sh = pos % 64;
        uint64_t x = w < LIMBS ? in[w] >> sh : 0;
        if (sh > 2 && w + 1 < LIMBS) x |= in[w + 1] << (64 - sh);
        out.v[i] = int64_t(x & M62);
    }
}

/** To 48 64-bit limbs; the value must be in [0, 2^3072) with canonical limbs. */
void FromS62(uint64_t* out, const S62& in)
{
    for (int w = 0; w < LIMBS; ++w) {
        const int pos = 64 * w, i = pos / 62, sh = pos % 62;
        uint64_t x = uint64_t(in.v[i]) >> sh;
        if (i + 1 < S62_LIMBS) x |= uint64_t(in.v[i + 1]) << (62 - sh);
        if (sh > 60 && i + 2 < S62_LIMBS) x |= uint64_t(in.v[i + 2]) << (124 - sh);
        out[w] = x;
    }
}

/** M in signed-62 limbs. */
constexpr S62 MakeModulus()
{
    S62 m{};
    m.v[0] = int64_t((uint64_t{1} << 62) - C);
    for (int i = 1; i < S62_LIMBS - 1; ++i) m.v[i] = int64_t(M62);
    m.v[S62_LIMBS - 1] = int64_t((uint64_t{1} << TOP_BITS) - 1);
    return m;
}
constexpr S62 MODULUS = MakeModulus();

/** M^-1 mod 2^62 by Newton's iteration (each step doubles the correct bits;
 *  an odd number is its own inverse mod 8). */
constexpr uint64_t ModulusInverse62()
{
    const uint64_t m0 = uint64_t(MODULUS.v[0]);
    uint64_t x = m0;
    for (int i = 0; i < 5; ++i) x *= 2 - m0 * x;
    return x & M62;
}
constexpr uint64_t MODULUS_INV62 = ModulusInverse62();
static_assert(((uint64_t(MODULUS.v[0]) * MODULUS_INV62) & M62) == 1);

struct Trans {
    int64_t u, v, q, r;
};

/** Runs 62 divsteps on the low bits of f (odd) and g, starting from
 *  eta = -delta; returns the new eta and sets t so that, for the full
 *  numbers, 2^62 * (f', g') = (u f + v g, q f + r g).
 *
 *  One divstep: if delta > 0 and g odd, (delta, f, g) = (1 - delta, g,
 *  (g - f) / 2); else if g odd, (1 + delta, f, (g + f) / 2); else
 *  (1 + delta, f, g / 2). The first case is done as "f, g = g, -f" followed
 *  by the second. Runs of even g are skipped in one go, and when no swap
 *  can happen for the next k steps, g + w f with w = -g / f (mod 2^k) does
 *  k steps' additions at once. */
int64_t Divsteps62(int64_t eta, uint64_t f, uint64_t g, Trans& t)
{
    uint64_t u = 1, v = 0, q = 0, r = 1; // wrap mod 2^64; end values fit int64
    int i = 62;
    for (;;) {
        const int zeros = __builtin_ctzll(g | (~uint64_t{0} << i));
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros;
        i -= zeros;
        if (i == 0) break;
        // g is odd.
        if (eta < 0) {
            eta = -eta;
            uint64_t tmp = f;
            f = g;
            g = 0 - tmp;
            tmp = u;
            u = q;
            q = 0 - tmp;
            tmp = v;
            v = r;
            r = 0 - tmp;
        }
        // eta >= 0: the next eta + 1 steps cannot swap.
        int limit = int(eta) + 1 < i ? int(eta) + 1 : i;
        if (limit > 6) limit = 6;
        const uint64_t mask = ~uint64_t{0} >> (64 - limit);
        const uint64_t finv = f * (2 - f * f); // f^-1 mod 2^6
        const uint64_t w = (0 - g * finv) & mask;
        g += f * w;
        q += u * w;
        r += v * w;
    }
    t.u = int64_t(u);
    t.v = int64_t(v);
    t.q = int64_t(q);
    t.r = int64_t(r);
    return eta;
}

/** (f, g) = (u f + v g, q f + r g) / 2^62 over the low `len` limbs. */
void UpdateFG(S62& f, S62& g, int len, const Trans& t)
{
    i128 cf = i128(t.u) * f.v[0] + i128(t.v) * g.v[0];
    i128 cg = i128(t.q) * f.v[0] + i128(t.r) * g.v[0];
    cf >>= 62; // the low 62 bits are zero by construction
    cg >>= 62;
    for (int i = 1; i < len; ++i) {
        cf += i128(t.u) * f.v[i] + i128(t.v) * g.v[i];
        cg += i128(t.q) * f.v[i] + i128(t.r) * g.v[i];
        f.v[i - 1] = int64_t(uint64_t(cf) & M62);
        g.v[i - 1] = int64_t(uint64_t(cg) & M62);
        cf >>= 62;
        cg >>= 62;
    }
    f.v[len - 1] = int64_t(cf);
    g.v[len - 1] = int64_t(cg);
}

/** a += sign * M for sign = +1 or -1, keeping limbs canonical. Uses
 *  M = 2^3072 - C = -C + 2^34 * 2^(62 * 49). */
void AddModulus(S62& a, int64_t sign)
{
    int64_t carry = a.v[0] - sign * int64_t(C);
    a.v[0] = int64_t(uint64_t(carry) & M62);
    carry >>= 62;
    for (int i = 1; i < S62_LIMBS - 1; ++i) {
        const int64_t s = a.v[i] + carry;
        a.v[i] = int64_t(uint64_t(s) & M62);
        carry = s >> 62;
    }
    a.v[S62_LIMBS - 1] += carry + sign * (int64_t{1} << TOP_BITS);
}

/** Whether a >= M, for a >= 0 with canonical limbs. */
bool AtLeastModulus(const S62& a)
{
    for (int i = S62_LIMBS - 1; i >= 0; --i) {
        if (a.v[i] != MODULUS.v[i]) return a.v[i] > MODULUS.v[i];
    }
    return true;
}

/** From [-M, 2M) into [0, M). */
void Normalize(S62& a)
{
    if (a.v[S62_LIMBS - 1] < 0) {
        AddModulus(a, 1);
    } else if (AtLeastModulus(a)) {
        AddModulus(a, -1);
    }
}

/** (d, e) = (u d + v e, q d + r e) / 2^62 (mod M), from and into [0, M). */
void UpdateDE(S62& d, S62& e, const Trans& t)
{
    i128 cd = i128(t.u) * d.v[0] + i128(t.v) * e.v[0];
    i128 ce = i128(t.q) * d.v[0] + i128(t.r) * e.v[0];
    // Add md * M and me * M, chosen to clear the low 62 bits. As
    // M = -C + 2^34 * 2^(62 * 49), that is -md * C here and md * 2^34 in the
    // top limb.
    const uint64_t md = (0 - uint64_t(cd) * MODULUS_INV62) & M62;
    const uint64_t me = (0 - uint64_t(ce) * MODULUS_INV62) & M62;
    cd -= i128(md) * C;
    ce -= i128(me) * C;
    cd >>= 62;
    ce >>= 62;
    for (int i = 1; i < S62_LIMBS - 1; ++i) {
        cd += i128(t.u) * d.v[i] + i128(t.v) * e.v[i];
        ce += i128(t.q) * d.v[i] + i128(t.r) * e.v[i];
        d.v[i - 1] = int64_t(uint64_t(cd) & M62);
        e.v[i - 1] = int64_t(uint64_t(ce) & M62);
        cd >>= 62;
        ce >>= 62;
    }
    constexpr int top = S62_LIMBS - 1;
    cd += i128(t.u) * d.v[top] + i128(t.v) * e.v[top] + (i128(md) << TOP_BITS);
    ce += i128(t.q) * d.v[top] + i128(t.r) * e.v[top] + (i128(me) << TOP_BITS);
    d.v[top - 1] = int64_t(uint64_t(cd) & M62);
    e.v[top - 1] = int64_t(uint64_t(ce) & M62);
    d.v[top] = int64_t(cd >> 62);
    e.v[top] = int64_t(ce >> 62);
    // |u| + |v| <= 2^62 puts the results in [-M, 2M).
    Normalize(d);
    Normalize(e);
}

bool IsZero(const S62& a, int len)
{
    for (int i = 0; i < len; ++i) {
        if (a.v[i]) return false;
    }
    return true;
}

/** x^-1 mod M for x in [0, M) (0 for 0), into [0, M). */
void Inverse(uint64_t* out, const uint64_t* in)
{
    // Invariants: f = d x and g = e x (mod M); |f|, |g| never grow.
    S62 f = MODULUS, g, d{}, e{};
    ToS62(g, in);
    e.v[0] = 1;
    int64_t eta = -1; // delta = 1
    int len = S62_LIMBS;
    while (!IsZero(g, len)) {
        Trans t;
        eta = Divsteps62(eta, uint64_t(f.v[0]), uint64_t(g.v[0]), t);
        UpdateDE(d, e, t);
        UpdateFG(f, g, len, t);
        // Drop the top limb while it is only a sign extension in both.
        if (len > 1) {
            const int64_t fn = f.v[len - 1], gn = g.v[len - 1];
            if ((fn == 0 || fn == -1) && (gn == 0 || gn == -1)) {
                f.v[len - 2] = int64_t(uint64_t(f.v[len - 2]) + (uint64_t(fn) << 62));
                g.v[len - 2] = int64_t(uint64_t(g.v[len - 2]) + (uint64_t(gn) << 62));
                --len;
            }
        }
    }
    // Now f = gcd = +-1 (M is prime), unless x was 0 (then f = M, d = 0).
    if (f.v[len - 1] < 0) {
        // d = M - d, or 0 for d = 0.
        if (!IsZero(d, S62_LIMBS)) {
            for (int i = 0; i < S62_LIMBS; ++i) d.v[i] = -d.v[i];
            // -d has limbs in (-2^62, 0]; carry them back into [0, 2^62) while adding M.
            AddModulus(d, 1);
        }
    }
    FromS62(out, d);
}

} // namespace

// ---- Num3072 ------------------------------------------------------------------

Num3072::Num3072(const uint8_t (&data)[BYTE_SIZE])
{
    for (int i = 0; i < LIMBS; ++i) {
        uint64_t x = 0;
        for (int j = 7; j >= 0; --j) x = (x << 8) | data[8 * i + j];
        limbs[i] = x;
    }
}

Num3072 Num3072::FromBytes(ByteSpan data)
{
    if (data.size() != BYTE_SIZE) throw std::invalid_argument("Num3072: need 384 bytes");
    uint8_t tmp[BYTE_SIZE];
    std::memcpy(tmp, data.data(), BYTE_SIZE);
    return Num3072{tmp};
}

void Num3072::SetToOne()
{
    limbs[0] = 1;
    for (int i = 1; i < LIMBS; ++i) limbs[i] = 0;
}

void Num3072::Multiply(const Num3072& a)
{
    uint64_t r[2 * LIMBS];
    MulFull(r, limbs, a.limbs);
    Reduce(limbs, r);
}

void Num3072::Square()
{
    uint64_t r[2 * LIMBS];
    SqrFull(r, limbs);
    Reduce(limbs, r);
}

bool Num3072::IsOverflow() const
{
    if (limbs[0] < 0 - C) return false;
    for (int i = 1; i < LIMBS; ++i) {
        if (limbs[i] != ~uint64_t{0}) return false;
    }
    return true;
}

void Num3072::FullReduce()
{
    if (!IsOverflow()) return;
    // value - M = value + C - 2^3072: add C and let the carry fall off the top.
    u128 t = u128(limbs[0]) + C;
    limbs[0] = uint64_t(t);
    uint64_t carry = uint64_t(t >> 64);
    for (int i = 1; i < LIMBS; ++i) {
        limbs[i] += carry;
        carry = carry && limbs[i] == 0;
    }
}

Num3072 Num3072::GetInverse() const
{
    Num3072 x = *this;
    x.FullReduce();
    Num3072 out;
    Inverse(out.limbs, x.limbs);
    return out;
}

void Num3072::Divide(const Num3072& a)
{
    Multiply(a.GetInverse());
    FullReduce();
}

void Num3072::ToBytes(uint8_t (&out)[BYTE_SIZE]) const
{
    Num3072 x = *this;
    x.FullReduce();
    x.ToRawBytes(out);
}

void Num3072::ToRawBytes(uint8_t (&out)[BYTE_SIZE]) const
{
    for (int i = 0; i < LIMBS; ++i) {
        for (int j = 0; j < 8; ++j) out[8 * i + j] = uint8_t(limbs[i] >> (8 * j));
    }
}

// ---- MuHash3072 -----------------------------------------------------------

Num3072 MuHash3072::ToNum3072(ByteSpan element)
{
    uint8_t key[Sha256::OUTPUT_SIZE];
    Sha256{}.Write(element).Finalize(key);
    uint8_t stream[Num3072::BYTE_SIZE];
    ChaCha20Aligned{key}.Keystream(stream);
    return Num3072{stream};
}

MuHash3072::MuHash3072(ByteSpan element) : m_numerator(ToNum3072(element)) {}

MuHash3072& MuHash3072::Insert(ByteSpan element)
{
    m_numerator.Multiply(ToNum3072(element));
    return *this;
}

MuHash3072& MuHash3072::Remove(ByteSpan element)
{
    m_denominator.Multiply(ToNum3072(element));
    return *this;
}

MuHash3072& MuHash3072::operator*=(const MuHash3072& mul)
{
    m_numerator.Multiply(mul.m_numerator);
    m_denominator.Multiply(mul.m_denominator);
    return *this;
}

MuHash3072& MuHash3072::operator/=(const MuHash3072& div)
{
    m_numerator.Multiply(div.m_denominator);
    m_denominator.Multiply(div.m_numerator);
    return *this;
}

void MuHash3072::Finalize(uint256& out)
{
    m_numerator.Divide(m_denominator);
    m_denominator.SetToOne();
    uint8_t data[Num3072::BYTE_SIZE];
    m_numerator.ToBytes(data);
    Sha256{}.Write(data).Finalize(out.data());
}

void MuHash3072::Serialize(uint8_t (&out)[SERIALIZED_SIZE]) const
{
    uint8_t num[Num3072::BYTE_SIZE], den[Num3072::BYTE_SIZE];
    m_numerator.ToRawBytes(num);
    m_denominator.ToRawBytes(den);
    std::memcpy(out, num, sizeof(num));
    std::memcpy(out + sizeof(num), den, sizeof(den));
}

MuHash3072 MuHash3072::Deserialize(ByteSpan data)
{
    if (data.size() != SERIALIZED_SIZE) throw std::invalid_argument("MuHash3072: need 768 bytes");
    MuHash3072 m;
    m.m_numerator = Num3072::FromBytes(data.first(Num3072::BYTE_SIZE));
    m.m_denominator = Num3072::FromBytes(data.subspan(Num3072::BYTE_SIZE));
    return m;
}

} // namespace cairn
