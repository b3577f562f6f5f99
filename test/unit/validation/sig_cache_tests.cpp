// The signature cache: salted entries for ECDSA and Schnorr triples, the
// two lookup modes (mempool keeps entries, block validation consumes them),
// the size limit, and a caching checker that trusts an entry instead of
// asking libsecp256k1 again.
#include "consensus/script/interpreter.h"
#include "consensus/script/script_flags.h"
#include "crypto/random.h"
#include "test/util/chain_builder.h"
#include "validation/sig_cache.h"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace cairn;
using namespace cairn::test;

namespace {

uint256 RandomHash()
{
    uint256 h;
    GetRandBytes(MutableByteSpan(h.data(), 32));
    return h;
}

Bytes RandomBytes(size_t n)
{
    Bytes b(n);
    GetRandBytes(b);
    return b;
}

constexpr ScriptFlags FLAGS = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;

/** What the cache layer was asked: the caching checker's VerifyEcdsa /
 *  VerifySchnorr are wrapped, so a test learns the exact sighash a
 *  signature was checked against (the inner call to libsecp256k1 is not
 *  virtual, so it cannot be counted directly; see the poisoned-entry test). */
struct Seen {
    int calls{0};
    Bytes sig;
    Bytes pubkey;
    uint256 sighash;
};

class RecordingChecker : public CachingTransactionSignatureChecker
{
public:
    RecordingChecker(const Transaction& tx, Amount amount, const PrecomputedTxData& txdata, SignatureCache* cache,
                     bool store, Seen& seen)
        : CachingTransactionSignatureChecker(tx, 0, amount, txdata, cache, store), m_seen(seen)
    {
    }

protected:
    bool VerifyEcdsa(ByteSpan der_sig, ByteSpan pubkey, const uint256& sighash) const override
    {
        Record(der_sig, pubkey, sighash);
        return CachingTransactionSignatureChecker::VerifyEcdsa(der_sig, pubkey, sighash);
    }
    bool VerifySchnorr(ByteSpan sig64, ByteSpan pubkey32, const uint256& sighash) const override
    {
        Record(sig64, pubkey32, sighash);
        return CachingTransactionSignatureChecker::VerifySchnorr(sig64, pubkey32, sighash);
    }

private:
    void Record(ByteSpan sig, ByteSpan pubkey, const uint256& sighash) const
    {
        ++m_seen.calls;
        m_seen.sig.assign(sig.begin(), sig.end());
        m_seen.pubkey.assign(pubkey.begin(), pubkey.end());
        m_seen.sighash = sighash;
    }
    Seen& m_seen;
};

/** A one-input transaction spending an output of `script` (P2WPKH or P2TR
 *  of TestKey(7)), signed, with the spent output. */
struct SignedSpend {
    TxOut spent;
    MutableTransaction mtx;

    explicit SignedSpend(const Script& script)
    {
        MutableTransaction funding;
        funding.vin.emplace_back();
        funding.vout.emplace_back(50 * COIN, script);
        const Utxo utxo = OutputOf(funding);
        spent = utxo.out;
        mtx = SpendTo(utxo, OpTrueScript(), 49 * COIN);
        SignTransaction(mtx, std::vector<Utxo>{utxo}, {TestKey(7)});
    }

    /** Runs the input's scripts with a caching checker; `seen` records the cache layer's calls. */
    bool Verify(const MutableTransaction& tx_in, SignatureCache* cache, bool store, Seen& seen) const
    {
        const Transaction tx(tx_in);
        const PrecomputedTxData txdata(tx, {spent});
        RecordingChecker checker(tx, spent.value, txdata, cache, store, seen);
        ScriptError error = ScriptError::UNKNOWN_ERROR;
        return VerifyScript(tx.vin[0].script_sig, spent.script_pubkey, &tx.vin[0].witness, FLAGS, checker, &error);
    }

    /** The same spend with one bit of the signature flipped (still well-formed). */
    MutableTransaction Corrupted() const
    {
        MutableTransaction bad = mtx;
        bad.vin[0].witness.stack[0][10] ^= 1;
        return bad;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(sig_cache_tests)

BOOST_AUTO_TEST_CASE(insert_and_lookup)
{
    SignatureCache cache(1 << 20);
    const uint256 sighash = RandomHash();
    const Bytes der = RandomBytes(71), pub33 = RandomBytes(33), sig64 = RandomBytes(64), pub32 = RandomBytes(32);
    const uint256 ecdsa = cache.EcdsaEntry(sighash, der, pub33);
    const uint256 schnorr = cache.SchnorrEntry(sighash, sig64, pub32);

    // Entries are deterministic for one cache.
    BOOST_CHECK(ecdsa == cache.EcdsaEntry(sighash, der, pub33));
    BOOST_CHECK(schnorr == cache.SchnorrEntry(sighash, sig64, pub32));
    // Each part of the triple matters.
    BOOST_CHECK(ecdsa != cache.EcdsaEntry(RandomHash(), der, pub33));
    BOOST_CHECK(ecdsa != cache.EcdsaEntry(sighash, RandomBytes(71), pub33));
    BOOST_CHECK(ecdsa != cache.EcdsaEntry(sighash, der, RandomBytes(33)));
    // The same bytes as ECDSA and as Schnorr are different entries.
    BOOST_CHECK(cache.EcdsaEntry(sighash, sig64, pub32) != cache.SchnorrEntry(sighash, sig64, pub32));
    // Moving the boundary between signature and key changes the entry.
    const Bytes all = RandomBytes(97);
    BOOST_CHECK(cache.EcdsaEntry(sighash, ByteSpan(all).first(64), ByteSpan(all).subspan(64)) !=
                cache.EcdsaEntry(sighash, ByteSpan(all).first(65), ByteSpan(all).subspan(65)));

    BOOST_CHECK(!cache.Get(ecdsa, false));
    BOOST_CHECK(!cache.Get(schnorr, false));
    cache.Add(ecdsa);
    BOOST_CHECK(cache.Get(ecdsa, false));
    BOOST_CHECK(!cache.Get(schnorr, false));
    cache.Add(schnorr);
    BOOST_CHECK(cache.Get(schnorr, false));
    BOOST_CHECK_EQUAL(cache.size(), 2U);
    // Adding an entry twice keeps one copy.
    cache.Add(ecdsa);
    BOOST_CHECK_EQUAL(cache.size(), 2U);
}

BOOST_AUTO_TEST_CASE(salt_differs_between_caches)
{
    SignatureCache a(1 << 20), b(1 << 20);
    const uint256 sighash = RandomHash();
    const Bytes der = RandomBytes(72), pub33 = RandomBytes(33), sig64 = RandomBytes(64), pub32 = RandomBytes(32);
    BOOST_CHECK(a.EcdsaEntry(sighash, der, pub33) != b.EcdsaEntry(sighash, der, pub33));
    BOOST_CHECK(a.SchnorrEntry(sighash, sig64, pub32) != b.SchnorrEntry(sighash, sig64, pub32));

    a.Add(a.EcdsaEntry(sighash, der, pub33));
    BOOST_CHECK(a.Get(a.EcdsaEntry(sighash, der, pub33), false));
    BOOST_CHECK(!b.Get(b.EcdsaEntry(sighash, der, pub33), false));
}

BOOST_AUTO_TEST_CASE(erase_on_lookup)
{
    SignatureCache cache(1 << 20);
    const uint256 entry = cache.EcdsaEntry(RandomHash(), RandomBytes(71), RandomBytes(33));
    cache.Add(entry);
    // A mempool lookup keeps the entry...
    BOOST_CHECK(cache.Get(entry, false));
    BOOST_CHECK(cache.Get(entry, false));
    BOOST_CHECK_EQUAL(cache.size(), 1U);
    // ...a block's lookup consumes it: found once, then gone.
    BOOST_CHECK(cache.Get(entry, true));
    BOOST_CHECK_EQUAL(cache.size(), 0U);
    BOOST_CHECK(!cache.Get(entry, true));
    BOOST_CHECK(!cache.Get(entry, false));
}

BOOST_AUTO_TEST_CASE(size_limit_and_eviction)
{
    // The limit is in bytes; find how many entries it allows by filling a
    // cache well past it, then check it never grows beyond that.
    constexpr size_t BYTES = 64 * 1024;
    SignatureCache cache(BYTES);
    std::vector<uint256> entries;
    for (int i = 0; i < 20000; ++i) {
        entries.push_back(RandomHash());
        cache.Add(entries.back());
        // The entry just added is always there.
        BOOST_REQUIRE(cache.Get(entries.back(), false));
    }
    const size_t limit = cache.size();
    BOOST_TEST_MESSAGE("64 KiB cache holds " << limit << " entries");
    // Somewhere between 16 and 128 bytes per entry.
    BOOST_CHECK_GE(limit, BYTES / 128);
    BOOST_CHECK_LE(limit, BYTES / 16);
    size_t present = 0;
    for (const uint256& e : entries) present += cache.Get(e, false);
    BOOST_CHECK_EQUAL(present, limit);
    for (int i = 0; i < 1000; ++i) cache.Add(RandomHash());
    BOOST_CHECK_EQUAL(cache.size(), limit);

    // A tiny limit still keeps one entry.
    SignatureCache tiny(0);
    tiny.Add(RandomHash());
    const uint256 last = RandomHash();
    tiny.Add(last);
    BOOST_CHECK_EQUAL(tiny.size(), 1U);
    BOOST_CHECK(tiny.Get(last, false));
}

BOOST_AUTO_TEST_CASE(eviction_spreads_over_entries)
{
    // Once the cache is full, each Add evicts one entry. Report how many of
    // a batch of fresh entries survive the batch: with random eviction
    // nearly all should (a batch of a tenth of the cache loses about 5%).
    constexpr size_t BYTES = 64 * 1024;
    SignatureCache cache(BYTES);
    for (int i = 0; i < 5000; ++i) cache.Add(RandomHash());
    const size_t limit = cache.size();
    std::vector<uint256> fresh;
    for (size_t i = 0; i < limit / 10; ++i) {
        fresh.push_back(RandomHash());
        cache.Add(fresh.back());
    }
    size_t survived = 0;
    for (const uint256& e : fresh) survived += cache.Get(e, false);
    BOOST_TEST_MESSAGE("fresh entries surviving: " << survived << " of " << fresh.size());
    BOOST_CHECK_EQUAL(cache.size(), limit);
    // Evicting set.begin() (as an earlier version did) kept only about a
    // quarter of the batch; random eviction keeps 85-95%.
    BOOST_CHECK_GE(survived, fresh.size() * 8 / 10);
}

BOOST_AUTO_TEST_CASE(checker_stores_and_consumes_ecdsa)
{
    const SignedSpend spend(P2WPKHScript(TestKey(7)));
    SignatureCache cache(1 << 20);

    // Block mode on an empty cache: verified by libsecp256k1, nothing stored.
    Seen seen;
    BOOST_CHECK(spend.Verify(spend.mtx, &cache, false, seen));
    BOOST_CHECK_EQUAL(seen.calls, 1);
    BOOST_CHECK_EQUAL(cache.size(), 0U);

    // Mempool mode stores the triple it verified, under the entry the cache computes for it.
    BOOST_CHECK(spend.Verify(spend.mtx, &cache, true, seen));
    BOOST_CHECK_EQUAL(cache.size(), 1U);
    const uint256 entry = cache.EcdsaEntry(seen.sighash, seen.sig, seen.pubkey);
    BOOST_CHECK(cache.Get(entry, false));
    // A second mempool check hits and keeps it.
    BOOST_CHECK(spend.Verify(spend.mtx, &cache, true, seen));
    BOOST_CHECK_EQUAL(cache.size(), 1U);
    // The block check consumes it.
    BOOST_CHECK(spend.Verify(spend.mtx, &cache, false, seen));
    BOOST_CHECK_EQUAL(cache.size(), 0U);

    // An invalid signature is never stored.
    BOOST_CHECK(!spend.Verify(spend.Corrupted(), &cache, true, seen));
    BOOST_CHECK_EQUAL(cache.size(), 0U);
}

BOOST_AUTO_TEST_CASE(checker_stores_and_consumes_schnorr)
{
    const SignedSpend spend(P2TRScript(TestKey(7)));
    SignatureCache cache(1 << 20);
    Seen seen;
    BOOST_CHECK(spend.Verify(spend.mtx, &cache, true, seen));
    BOOST_CHECK_EQUAL(seen.calls, 1);
    BOOST_CHECK_EQUAL(seen.sig.size(), 64U);
    BOOST_CHECK_EQUAL(seen.pubkey.size(), 32U);
    BOOST_CHECK_EQUAL(cache.size(), 1U);
    BOOST_CHECK(cache.Get(cache.SchnorrEntry(seen.sighash, seen.sig, seen.pubkey), false));
    // Not an ECDSA entry for the same bytes.
    BOOST_CHECK(!cache.Get(cache.EcdsaEntry(seen.sighash, seen.sig, seen.pubkey), false));
    BOOST_CHECK(spend.Verify(spend.mtx, &cache, false, seen));
    BOOST_CHECK_EQUAL(cache.size(), 0U);
    BOOST_CHECK(!spend.Verify(spend.Corrupted(), &cache, true, seen));
    BOOST_CHECK_EQUAL(cache.size(), 0U);
}

// A hit is trusted without asking libsecp256k1: an entry planted for a
// corrupted signature makes it pass, which a real verification never would.
// A block lookup consumes the entry, so the next check goes to
// libsecp256k1 again and fails.
BOOST_AUTO_TEST_CASE(hit_skips_libsecp256k1)
{
    for (const bool taproot : {false, true}) {
        BOOST_TEST_CONTEXT((taproot ? "schnorr" : "ecdsa"))
        {
            const SignedSpend spend(taproot ? P2TRScript(TestKey(7)) : P2WPKHScript(TestKey(7)));
            const MutableTransaction bad = spend.Corrupted();
            SignatureCache cache(1 << 20);
            Seen seen;
            BOOST_CHECK(!spend.Verify(bad, &cache, false, seen));
            BOOST_REQUIRE_EQUAL(seen.calls, 1);
            // The signature does not enter its own hash, so the bad spend has the same sighash.
            const uint256 entry = taproot ? cache.SchnorrEntry(seen.sighash, seen.sig, seen.pubkey)
                                          : cache.EcdsaEntry(seen.sighash, seen.sig, seen.pubkey);
            cache.Add(entry);

            BOOST_CHECK(spend.Verify(bad, &cache, true, seen));  // mempool: hit, kept
            BOOST_CHECK(spend.Verify(bad, &cache, false, seen)); // block: hit, consumed
            BOOST_CHECK(!cache.Get(entry, false));
            BOOST_CHECK(!spend.Verify(bad, &cache, false, seen));
            // Another cache (another salt) does not accept it either.
            SignatureCache other(1 << 20);
            BOOST_CHECK(!spend.Verify(bad, &other, true, seen));
            // Without a cache the checker verifies everything itself.
            cache.Add(entry);
            BOOST_CHECK(!spend.Verify(bad, nullptr, true, seen));
            BOOST_CHECK(spend.Verify(spend.mtx, nullptr, true, seen));
            BOOST_CHECK_EQUAL(cache.size(), 1U);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
