// Small builders shared by the policy tests: output scripts of every
// template and transactions spending made-up outpoints.
#ifndef CAIRN_TEST_UNIT_POLICY_POLICY_TEST_UTIL_H
#define CAIRN_TEST_UNIT_POLICY_POLICY_TEST_UTIL_H

#include "primitives/coin.h"
#include "primitives/script.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <vector>

namespace cairn::policy_test {

inline Bytes Filled(size_t n, uint8_t b) { return Bytes(n, b); }

/** A txid-like hash distinct for each `n`. */
inline uint256 HashOf(uint32_t n)
{
    uint256 h;
    h.data()[0] = uint8_t(n);
    h.data()[1] = uint8_t(n >> 8);
    h.data()[2] = uint8_t(n >> 16);
    h.data()[31] = 0xaa;
    return h;
}

/** A plausible compressed public key (Solver checks only size and prefix). */
inline Bytes FakeKey(uint8_t b) { Bytes k(33, b); k[0] = 0x02; return k; }

inline Script P2PKH() { Script s; s << OP_DUP << OP_HASH160 << Filled(20, 1) << OP_EQUALVERIFY << OP_CHECKSIG; return s; }
inline Script P2PK() { Script s; s << FakeKey(7) << OP_CHECKSIG; return s; }
inline Script P2SH(const Bytes& h = Bytes(20, 2)) { Script s; s << OP_HASH160 << h << OP_EQUAL; return s; }
inline Script P2WPKH() { Script s; s << OP_0 << Filled(20, 3); return s; }
inline Script P2WSH() { Script s; s << OP_0 << Filled(32, 4); return s; }
inline Script P2TR() { Script s; s << OP_1 << Filled(32, 5); return s; }
inline Script P2A() { Script s; s << OP_1 << Bytes{0x4e, 0x73}; return s; }
/** A witness program of a version with no meaning yet. */
inline Script WitnessV2() { Script s; s << OP_2 << Filled(32, 6); return s; }
/** OP_RETURN followed by one push of `n` bytes. */
inline Script OpReturn(size_t n) { Script s; s << OP_RETURN; if (n) s << Filled(n, 0x42); return s; }
/** m-of-n bare CHECKMULTISIG. */
inline Script BareMultisig(int m, int n)
{
    Script s;
    s.PushInt(m);
    for (int i = 0; i < n; ++i) s << FakeKey(uint8_t(0x10 + i));
    s.PushInt(n);
    s << OP_CHECKMULTISIG;
    return s;
}

/** A version-2 transaction with `n_in` inputs (distinct made-up outpoints,
 *  a signature-and-key scriptSig) and one 10,000-sat P2WPKH output:
 *  standard as it stands. */
inline MutableTransaction StandardTx(size_t n_in = 1, uint32_t seed = 0)
{
    MutableTransaction tx;
    tx.version = 2;
    for (size_t i = 0; i < n_in; ++i) {
        TxIn in;
        in.prevout = OutPoint(HashOf(seed * 1000 + uint32_t(i) + 1), uint32_t(i));
        in.script_sig << Filled(71, 0x30) << FakeKey(9);
        tx.vin.push_back(in);
    }
    tx.vout.emplace_back(10000, P2WPKH());
    return tx;
}

/** A transaction spending the given outpoints (empty scriptSigs), with
 *  outputs as given. */
inline MutableTransaction Spending(const std::vector<OutPoint>& prevouts, std::vector<TxOut> outs)
{
    MutableTransaction tx;
    for (const OutPoint& p : prevouts) {
        TxIn in;
        in.prevout = p;
        tx.vin.push_back(in);
    }
    tx.vout = std::move(outs);
    return tx;
}

inline Coin CoinOf(Script spk, Amount value = 100000) { return Coin(TxOut(value, std::move(spk)), 100, false); }

/** Pointers to `coins`, in order: the form the policy functions take. */
inline std::vector<const Coin*> Ptrs(const std::vector<Coin>& coins)
{
    std::vector<const Coin*> out;
    for (const Coin& c : coins) out.push_back(&c);
    return out;
}

} // namespace cairn::policy_test

#endif
