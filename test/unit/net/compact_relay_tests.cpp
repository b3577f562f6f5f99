// Tests for net/compact_relay.h: the memory estimate that decides whether a
// rejected transaction is kept for compact block reconstruction (Core keeps
// only those under 100,000 bytes of RecursiveDynamicUsage).
#include "net/compact_relay.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

MutableTransaction OneInOneOut()
{
    MutableTransaction tx;
    tx.vin.resize(1);
    tx.vout.emplace_back(Amount{1000}, Script(Bytes(34, 0x51)));
    return tx;
}

} // namespace

BOOST_AUTO_TEST_SUITE(compact_relay_tests)

BOOST_AUTO_TEST_CASE(memory_usage_counts_every_allocation)
{
    MutableTransaction base = OneInOneOut();
    const size_t plain = TransactionMemoryUsage(Transaction(base));
    // At least the bytes it holds, and more than its serialization (vectors and malloc headers).
    BOOST_CHECK_GT(plain, Transaction(base).GetTotalSize());

    MutableTransaction with_sig = base;
    with_sig.vin[0].script_sig = Script(Bytes(72, 0x01));
    const size_t sig = TransactionMemoryUsage(Transaction(with_sig));
    BOOST_CHECK_GE(sig, plain + 72);

    MutableTransaction with_witness = base;
    with_witness.vin[0].witness.stack = {Bytes(72, 0x01), Bytes(33, 0x02)};
    const size_t wit = TransactionMemoryUsage(Transaction(with_witness));
    BOOST_CHECK_GE(wit, plain + 72 + 33);

    // malloc rounds up in 16-byte steps: one byte more in a script may cost 16.
    MutableTransaction one_more = with_sig;
    one_more.vin[0].script_sig = Script(Bytes(73, 0x01));
    const size_t sig73 = TransactionMemoryUsage(Transaction(one_more));
    BOOST_CHECK(sig73 == sig || sig73 == sig + 16);
}

BOOST_AUTO_TEST_CASE(big_transactions_are_not_kept)
{
    MutableTransaction small = OneInOneOut();
    BOOST_CHECK_LT(TransactionMemoryUsage(Transaction(small)), MAX_EXTRA_TXN_USAGE);

    // 100 kB of witness: over the bound, though standard-sized transactions never get there.
    MutableTransaction big = OneInOneOut();
    big.vin[0].witness.stack = {Bytes(100'000, 0x01)};
    BOOST_CHECK_GE(TransactionMemoryUsage(Transaction(big)), MAX_EXTRA_TXN_USAGE);
}

BOOST_AUTO_TEST_SUITE_END()
