// MuHash3072 (the coinstatsindex / gettxoutsetinfo set hash) and the
// ChaCha20 family (BIP 324 transport) benchmarks.
#include "bench/bench.h"
#include "crypto/chacha20.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/muhash.h"
#include "crypto/poly1305.h"

#include <cstring>
#include <stdexcept>
#include <vector>

using namespace cairn;

namespace {

/** A 36-byte element that changes every call, about the size of an outpoint. */
struct Element {
    uint8_t data[36] = {};
    uint32_t n{0};
    ByteSpan Next()
    {
        ++n;
        std::memcpy(data, &n, sizeof(n));
        return data;
    }
};

} // namespace

/** One element added: SHA-256, 384 bytes of ChaCha20, one 3072-bit mulmod. */
static void MuHashInsert(bench::State& state)
{
    MuHash3072 acc;
    Element e;
    while (state.KeepRunning()) acc.Insert(e.Next());
}
CAIRN_BENCH(MuHashInsert);

/** Hashing an element to its 3072-bit number alone. */
static void MuHashToNum3072(bench::State& state)
{
    Element e;
    uint64_t sink = 0;
    while (state.KeepRunning()) sink += MuHash3072::ToNum3072(e.Next()).limbs[0];
    if (sink == 1) throw std::runtime_error("unlikely");
}
CAIRN_BENCH(MuHashToNum3072);

static void MuHashMultiply(bench::State& state)
{
    Element e;
    Num3072 acc = MuHash3072::ToNum3072(e.Next());
    const Num3072 x = MuHash3072::ToNum3072(e.Next());
    while (state.KeepRunning()) acc.Multiply(x);
}
CAIRN_BENCH(MuHashMultiply);

/** Finalize with a non-trivial denominator: one modular inverse, one
 *  multiplication, SHA-256 of 384 bytes. */
static void MuHashFinalize(bench::State& state)
{
    MuHash3072 acc;
    Element e;
    uint256 out;
    while (state.KeepRunning()) {
        acc.Remove(e.Next()); // keep the denominator away from 1
        acc.Finalize(out);
    }
}
CAIRN_BENCH(MuHashFinalize);

static void ChaCha20_1MB(bench::State& state)
{
    const uint8_t key[32] = {1};
    ChaCha20 c{key};
    std::vector<uint8_t> buf(1 << 20);
    state.SetBytesPerIteration(buf.size());
    while (state.KeepRunning()) c.Crypt(buf, buf);
}
CAIRN_BENCH(ChaCha20_1MB);

static void Poly1305_1MB(bench::State& state)
{
    const uint8_t key[32] = {1};
    std::vector<uint8_t> buf(1 << 20);
    uint8_t tag[Poly1305::TAGLEN];
    state.SetBytesPerIteration(buf.size());
    while (state.KeepRunning()) Poly1305Auth(key, buf, tag);
}
CAIRN_BENCH(Poly1305_1MB);

/** BIP 324's packet AEAD on 1 MB packets. */
static void FSChaCha20Poly1305_1MB(bench::State& state)
{
    const uint8_t key[32] = {1};
    FSChaCha20Poly1305 aead{key};
    std::vector<uint8_t> plain(1 << 20), cipher(plain.size() + FSChaCha20Poly1305::EXPANSION);
    state.SetBytesPerIteration(plain.size());
    while (state.KeepRunning()) aead.Encrypt(plain, {}, cipher);
}
CAIRN_BENCH(FSChaCha20Poly1305_1MB);

/** BIP 324's packet AEAD on 256-byte packets (a typical small message). */
static void FSChaCha20Poly1305_256B(bench::State& state)
{
    const uint8_t key[32] = {1};
    FSChaCha20Poly1305 aead{key};
    std::vector<uint8_t> plain(256), cipher(plain.size() + FSChaCha20Poly1305::EXPANSION);
    state.SetBytesPerIteration(plain.size());
    while (state.KeepRunning()) aead.Encrypt(plain, {}, cipher);
}
CAIRN_BENCH(FSChaCha20Poly1305_256B);
