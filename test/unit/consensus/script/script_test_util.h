// Helpers shared by the script interpreter's vector tests.
#ifndef CAIRN_TEST_UNIT_CONSENSUS_SCRIPT_SCRIPT_TEST_UTIL_H
#define CAIRN_TEST_UNIT_CONSENSUS_SCRIPT_SCRIPT_TEST_UTIL_H

#include "primitives/amount.h"
#include "primitives/script.h"
#include "primitives/transaction.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <univalue.h>

namespace cairn::test {

/** Reads and parses a JSON vector file (relative to the vectors folder); fails loudly. */
UniValue ReadJsonVectors(const std::string& relpath);

/** A JSON number written in BTC ("0.00000001") as satoshis, exactly (no floating point). */
Amount ParseBtcAmount(std::string_view text);

/** The transactions script_tests.json is defined against: a coinbase-like
 *  transaction paying `amount` to `script_pubkey`, and one spending its
 *  output 0 with `script_sig` and `witness` into an empty-script output. */
MutableTransaction BuildCreditingTransaction(const Script& script_pubkey, Amount amount);
MutableTransaction BuildSpendingTransaction(const Script& script_sig, const ScriptWitness& witness,
                                            const MutableTransaction& credit);

/** A small deterministic generator (splitmix64): the random flag variations
 *  are the same on every run, so a failure can be reproduced. */
class TestRng
{
public:
    explicit TestRng(uint64_t seed) : m_state(seed) {}
    uint64_t Next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint32_t Bits(int n) { return uint32_t(Next() & ((uint64_t(1) << n) - 1)); }

private:
    uint64_t m_state;
};

} // namespace cairn::test

#endif
