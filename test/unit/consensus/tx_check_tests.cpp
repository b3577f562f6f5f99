// CheckTransaction: each context-free rule and its reject reason.
#include "consensus/consensus.h"
#include "consensus/tx_check.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

MutableTransaction ValidTx()
{
    MutableTransaction tx;
    tx.vin.resize(1);
    tx.vin[0].prevout = OutPoint(uint256::ONE, 0);
    tx.vout.emplace_back(1000, Script() << OP_TRUE);
    return tx;
}

std::string Reason(const MutableTransaction& mtx)
{
    TxValidationState state;
    bool ok = CheckTransaction(Transaction(mtx), state);
    BOOST_CHECK_EQUAL(ok, state.IsValid());
    return ok ? "" : state.GetRejectReason();
}

} // namespace

BOOST_AUTO_TEST_SUITE(tx_check_tests)

BOOST_AUTO_TEST_CASE(each_rule)
{
    BOOST_CHECK_EQUAL(Reason(ValidTx()), "");

    auto tx = ValidTx();
    tx.vin.clear();
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-vin-empty");

    tx = ValidTx();
    tx.vout.clear();
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-vout-empty");

    tx = ValidTx();
    tx.vout[0].value = -1;
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-vout-negative");

    tx = ValidTx();
    tx.vout[0].value = MAX_MONEY + 1;
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-vout-toolarge");

    tx = ValidTx();
    tx.vout[0].value = MAX_MONEY;
    BOOST_CHECK_EQUAL(Reason(tx), "");
    tx.vout.push_back(tx.vout[0]);
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-txouttotal-toolarge");

    tx = ValidTx();
    tx.vin.push_back(tx.vin[0]);
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-inputs-duplicate");

    tx = ValidTx();
    tx.vin.push_back(tx.vin[0]);
    tx.vin[1].prevout.n = 1;
    tx.vin.push_back(TxIn{});
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-prevout-null");

    tx = ValidTx();
    tx.vout[0].script_pubkey = Script(Bytes(MAX_BLOCK_WEIGHT / WITNESS_SCALE_FACTOR, 0));
    BOOST_CHECK_EQUAL(Reason(tx), "bad-txns-oversize");
}

BOOST_AUTO_TEST_CASE(coinbase_script_length)
{
    MutableTransaction cb;
    cb.vin.resize(1); // a null prevout makes it a coinbase
    cb.vout.emplace_back(50 * COIN, Script() << OP_TRUE);
    for (size_t len : {0, 1, 2, 100, 101}) {
        cb.vin[0].script_sig = Script(Bytes(len, 0x51));
        BOOST_CHECK_EQUAL(Reason(cb), len >= 2 && len <= 100 ? "" : "bad-cb-length");
    }
}

BOOST_AUTO_TEST_CASE(weight)
{
    MutableTransaction tx = ValidTx();
    tx.vin[0].witness.stack = {Bytes(10, 1)};
    Transaction t(tx);
    BOOST_CHECK_EQUAL(GetTransactionWeight(t), int64_t(t.GetStrippedSize() * 3 + t.GetTotalSize()));
    BOOST_CHECK_GT(t.GetTotalSize(), t.GetStrippedSize());
}

BOOST_AUTO_TEST_SUITE_END()
