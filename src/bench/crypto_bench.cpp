// Benchmarks of crypto/: SHA-256 per implementation (single stream and the
// batched 64-byte double hash used for merkle trees), RIPEMD-160, SHA-512,
// SipHash, and signature verification.
#include "bench/bench.h"
#include "crypto/hash.h"
#include "crypto/key.h"
#include "crypto/ripemd160.h"
#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "crypto/siphash.h"

#include <stdexcept>
#include <string>

using namespace cairn;

namespace {

constexpr size_t ONE_MB = 1 << 20;
constexpr size_t D64_BLOCKS = 1024;

/** Forces one SHA-256 implementation for a benchmark's duration. */
class ForceSha256
{
public:
    explicit ForceSha256(Sha256Impl impl)
    {
        if (Sha256AutoDetect(impl).empty()) throw std::runtime_error("SHA-256 implementation not available");
    }
    ~ForceSha256() { Sha256AutoDetect(); }
};

void Sha256_1MB(bench::State& state, Sha256Impl impl)
{
    ForceSha256 force(impl);
    const Bytes data(ONE_MB, 0x5a);
    uint8_t out[Sha256::OUTPUT_SIZE];
    state.SetBytesPerIteration(data.size());
    while (state.KeepRunning()) Sha256().Write(data).Finalize(out);
}

void Sha256D64_1024(bench::State& state, Sha256Impl impl)
{
    ForceSha256 force(impl);
    const Bytes in(64 * D64_BLOCKS, 0x5a);
    Bytes out(32 * D64_BLOCKS);
    state.SetBytesPerIteration(in.size());
    state.SetItemsPerIteration(D64_BLOCKS);
    while (state.KeepRunning()) Sha256D64(out.data(), in.data(), D64_BLOCKS);
}

/** Registers `fn` once per implementation this CPU can run, so a machine
 *  without SHA-NI lists no SHA-NI figure rather than a bogus one. */
bool RegisterPerImplementation(const std::string& name, void (*fn)(bench::State&, Sha256Impl))
{
    const std::pair<Sha256Impl, const char*> impls[] = {
        {Sha256Impl::AUTO, "autodetect"},
        {Sha256Impl::PORTABLE, "portable"},
        {Sha256Impl::AVX2, "avx2"},
        {Sha256Impl::SHANI, "shani"},
    };
    for (const auto& [impl, suffix] : impls) {
        if (Sha256AutoDetect(impl).empty()) continue;
        bench::Registry::Benchmarks().emplace_back(name + "_" + suffix,
                                                   [fn, impl = impl](bench::State& s) { fn(s, impl); });
    }
    Sha256AutoDetect();
    return true;
}

[[maybe_unused]] const bool g_registered = RegisterPerImplementation("BenchSha256_1MB", Sha256_1MB) &&
                                           RegisterPerImplementation("BenchSha256D64_1024", Sha256D64_1024);

} // namespace

/** The same 1024 double hashes through the general-purpose hasher, as a
 *  baseline for Sha256D64's specialised paths. */
static void BenchSha256D64_1024_generic(bench::State& state)
{
    Sha256AutoDetect();
    const Bytes in(64 * D64_BLOCKS, 0x5a);
    Bytes out(32 * D64_BLOCKS);
    state.SetBytesPerIteration(in.size());
    state.SetItemsPerIteration(D64_BLOCKS);
    while (state.KeepRunning()) {
        for (size_t i = 0; i < D64_BLOCKS; ++i) {
            uint8_t first[32];
            Sha256().Write({in.data() + 64 * i, 64}).Finalize(first);
            Sha256().Write(first).Finalize(out.data() + 32 * i);
        }
    }
}
CAIRN_BENCH(BenchSha256D64_1024_generic);

static void BenchRipemd160_1MB(bench::State& state)
{
    const Bytes data(ONE_MB, 0x5a);
    uint8_t out[Ripemd160::OUTPUT_SIZE];
    state.SetBytesPerIteration(data.size());
    while (state.KeepRunning()) Ripemd160().Write(data).Finalize(out);
}
CAIRN_BENCH(BenchRipemd160_1MB);

static void BenchSha512_1MB(bench::State& state)
{
    const Bytes data(ONE_MB, 0x5a);
    uint8_t out[Sha512::OUTPUT_SIZE];
    state.SetBytesPerIteration(data.size());
    while (state.KeepRunning()) Sha512().Write(data).Finalize(out);
}
CAIRN_BENCH(BenchSha512_1MB);

static void BenchHash160_33B(bench::State& state)
{
    Sha256AutoDetect();
    Bytes key(33, 0x02);
    while (state.KeepRunning()) key[1] = Hash160(key).data()[0];
}
CAIRN_BENCH(BenchHash160_33B);

static void BenchSipHashUint256(bench::State& state)
{
    uint256 h;
    uint64_t acc = 0;
    while (state.KeepRunning()) {
        acc += SipHashUint256(0x0706050403020100, 0x0f0e0d0c0b0a0908, h);
        h.data()[0] = uint8_t(acc); // a dependency, so calls cannot overlap or vanish
    }
}
CAIRN_BENCH(BenchSipHashUint256);

static void BenchEcdsaVerify(bench::State& state)
{
    Key key;
    key.MakeNewKey(true);
    const PubKey pub = key.GetPubKey();
    const uint256 hash = Sha256Single(AsBytes("ecdsa bench"));
    Bytes sig;
    if (!key.SignEcdsa(hash, sig)) throw std::runtime_error("signing failed");
    while (state.KeepRunning()) {
        if (!pub.VerifyEcdsa(hash, sig)) throw std::runtime_error("verification failed");
    }
}
CAIRN_BENCH(BenchEcdsaVerify);

static void BenchSchnorrVerify(bench::State& state)
{
    Key key;
    key.MakeNewKey(true);
    const XOnlyPubKey pub = key.GetXOnlyPubKey();
    const uint256 msg = Sha256Single(AsBytes("schnorr bench"));
    uint8_t sig[64];
    if (!key.SignSchnorr(msg, sig, nullptr)) throw std::runtime_error("signing failed");
    while (state.KeepRunning()) {
        if (!pub.VerifySchnorr(msg, sig)) throw std::runtime_error("verification failed");
    }
}
CAIRN_BENCH(BenchSchnorrVerify);

static void BenchEcdsaSign(bench::State& state)
{
    Key key;
    key.MakeNewKey(true);
    uint256 hash = Sha256Single(AsBytes("ecdsa sign bench"));
    Bytes sig;
    while (state.KeepRunning()) {
        if (!key.SignEcdsa(hash, sig)) throw std::runtime_error("signing failed");
        hash.data()[0] = sig[10];
    }
}
CAIRN_BENCH(BenchEcdsaSign);
