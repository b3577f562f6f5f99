// The context-dependent transaction rules: nLockTime finality, BIP 68
// relative lock times and the checks of the spent coins (CheckTxInputs).
#include "consensus/consensus.h"
#include "consensus/tx_verify.h"

#include <boost/test/unit_test.hpp>

#include <deque>

using namespace cairn;

namespace {

/** A linear chain of block-index entries with the given times. */
class FakeChain
{
public:
    explicit FakeChain(const std::vector<uint32_t>& times)
    {
        for (size_t i = 0; i < times.size(); ++i) {
            m_hashes.emplace_back();
            m_hashes.back().data()[0] = uint8_t(i);
            m_hashes.back().data()[1] = uint8_t(i >> 8);
            BlockIndex& b = m_blocks.emplace_back();
            b.hash = &m_hashes.back();
            b.height = int(i);
            b.time = times[i];
            b.prev = i ? &m_blocks[i - 1] : nullptr;
            b.BuildSkip();
        }
    }
    const BlockIndex& operator[](int h) const { return m_blocks.at(size_t(h)); }

private:
    // Deques: entries never move while the chain grows.
    std::deque<uint256> m_hashes;
    std::deque<BlockIndex> m_blocks;
};

/** Block i at time 1000 + 600 * i: with strictly rising times the median of
 *  the 11 blocks ending at height h >= 10 is the time of block h - 5. */
FakeChain RegularChain(int n)
{
    std::vector<uint32_t> times;
    for (int i = 0; i < n; ++i) times.push_back(1000 + 600 * uint32_t(i));
    return FakeChain(times);
}

MutableTransaction TxWithInputs(size_t n, uint32_t sequence, uint32_t version = 2)
{
    MutableTransaction tx;
    tx.version = version;
    for (size_t i = 0; i < n; ++i) {
        TxIn in;
        in.prevout = OutPoint(uint256::ONE, uint32_t(i));
        in.sequence = sequence;
        tx.vin.push_back(in);
    }
    tx.vout.emplace_back(COIN, Script() << OP_TRUE);
    return tx;
}

std::pair<int, int64_t> Locks(const MutableTransaction& mtx, std::vector<int> prev_heights, const BlockIndex& block,
                              unsigned int flags = LOCKTIME_VERIFY_SEQUENCE)
{
    return CalculateSequenceLocks(Transaction(mtx), flags, prev_heights, block);
}

} // namespace

BOOST_AUTO_TEST_SUITE(tx_verify_tests)

BOOST_AUTO_TEST_CASE(is_final_tx)
{
    MutableTransaction tx = TxWithInputs(2, 0);
    tx.locktime = 0;
    BOOST_CHECK(IsFinalTx(Transaction(tx), 0, 0));

    // Heights: the lock time must be below the block's height.
    tx.locktime = 100;
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 99, 2000000000));
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 100, 2000000000));
    BOOST_CHECK(IsFinalTx(Transaction(tx), 101, 0));
    // Unless every input is final; one non-final input is enough to enforce it.
    tx.vin[0].sequence = TxIn::SEQUENCE_FINAL;
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 100, 0));
    tx.vin[1].sequence = TxIn::SEQUENCE_FINAL;
    BOOST_CHECK(IsFinalTx(Transaction(tx), 100, 0));
    // 0xfffffffe is not final.
    tx.vin[1].sequence = TxIn::SEQUENCE_FINAL - 1;
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 100, 0));

    // 499999999 is still a height, 500000000 a time.
    tx.locktime = LOCKTIME_THRESHOLD - 1;
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 1000, 2000000000));
    BOOST_CHECK(IsFinalTx(Transaction(tx), int(LOCKTIME_THRESHOLD), 0));
    tx.locktime = LOCKTIME_THRESHOLD;
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 1000000000, LOCKTIME_THRESHOLD));
    BOOST_CHECK(IsFinalTx(Transaction(tx), 0, LOCKTIME_THRESHOLD + 1));
    tx.locktime = 0xffffffff;
    BOOST_CHECK(!IsFinalTx(Transaction(tx), 0, 0xffffffff));
    BOOST_CHECK(IsFinalTx(Transaction(tx), 0, int64_t(0xffffffff) + 1));

    // No inputs at all: nothing opts into the lock time (Bitcoin Core's loop finds no non-final input).
    MutableTransaction empty = TxWithInputs(0, 0);
    empty.locktime = 100;
    BOOST_CHECK(IsFinalTx(Transaction(empty), 1, 0));
}

BOOST_AUTO_TEST_CASE(sequence_locks_height)
{
    const FakeChain chain = RegularChain(30);
    // A 5-block lock on a coin at height 10: the earliest block is 15.
    MutableTransaction tx = TxWithInputs(1, 5);
    auto lock = Locks(tx, {10}, chain[20]);
    BOOST_CHECK_EQUAL(lock.first, 14);
    BOOST_CHECK_EQUAL(lock.second, -1);
    BOOST_CHECK(!EvaluateSequenceLocks(chain[14], lock));
    BOOST_CHECK(EvaluateSequenceLocks(chain[15], lock));
    std::vector<int> heights{10};
    BOOST_CHECK(!SequenceLocks(Transaction(tx), LOCKTIME_VERIFY_SEQUENCE, heights, chain[14]));
    BOOST_CHECK(SequenceLocks(Transaction(tx), LOCKTIME_VERIFY_SEQUENCE, heights, chain[15]));

    // Bits outside the value and the two flags are ignored.
    tx.vin[0].sequence = 0x003f0005;
    BOOST_CHECK_EQUAL(Locks(tx, {10}, chain[20]).first, 14);
    // A lock of zero blocks is met by any later block.
    tx.vin[0].sequence = 0;
    BOOST_CHECK_EQUAL(Locks(tx, {10}, chain[20]).first, 9);
    BOOST_CHECK(EvaluateSequenceLocks(chain[11], Locks(tx, {10}, chain[11])));

    // The disable flag: no lock, and the input's height is zeroed.
    tx.vin[0].sequence = TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG | 5;
    heights = {10};
    lock = CalculateSequenceLocks(Transaction(tx), LOCKTIME_VERIFY_SEQUENCE, heights, chain[20]);
    BOOST_CHECK(lock == std::make_pair(-1, int64_t(-1)));
    BOOST_CHECK_EQUAL(heights[0], 0);

    // Version 1, or without LOCKTIME_VERIFY_SEQUENCE (before CSV): nothing enforced.
    tx = TxWithInputs(1, 5, 1);
    heights = {10};
    lock = CalculateSequenceLocks(Transaction(tx), LOCKTIME_VERIFY_SEQUENCE, heights, chain[20]);
    BOOST_CHECK(lock == std::make_pair(-1, int64_t(-1)));
    BOOST_CHECK_EQUAL(heights[0], 10);
    BOOST_CHECK(Locks(TxWithInputs(1, 5, 2), {10}, chain[20], 0) == std::make_pair(-1, int64_t(-1)));
    // The version is compared as unsigned: 0xffffffff enforces.
    BOOST_CHECK_EQUAL(Locks(TxWithInputs(1, 5, 0xffffffff), {10}, chain[20]).first, 14);

    // Several inputs: the latest lock wins.
    tx = TxWithInputs(3, 5);
    tx.vin[1].sequence = 2;
    tx.vin[2].sequence = TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG;
    BOOST_CHECK_EQUAL(Locks(tx, {10, 16, 25}, chain[29]).first, 17);
}

BOOST_AUTO_TEST_CASE(sequence_locks_time)
{
    const FakeChain chain = RegularChain(30);
    // A coin at height 12 counts from the median time past of block 11:
    // the time of block 6, 1000 + 3600 = 4600.
    BOOST_REQUIRE_EQUAL(chain[11].GetMedianTimePast(), 4600);
    // 3 units of 512 seconds: locked until the previous block's median time
    // past exceeds 4600 + 1536 - 1.
    MutableTransaction tx = TxWithInputs(1, TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG | 3);
    auto lock = Locks(tx, {12}, chain[20]);
    BOOST_CHECK_EQUAL(lock.first, -1);
    BOOST_CHECK_EQUAL(lock.second, 4600 + 1536 - 1);
    // Block 14's parent has median time past 5800 (block 8), block 15's 6400 (block 9).
    BOOST_CHECK(!EvaluateSequenceLocks(chain[14], lock));
    BOOST_CHECK(EvaluateSequenceLocks(chain[15], lock));

    // Exactly equal is not enough: a lock ending at 6400 needs more than 6400.
    BOOST_CHECK(!EvaluateSequenceLocks(chain[15], {-1, 6400}));
    BOOST_CHECK(EvaluateSequenceLocks(chain[15], {-1, 6399}));
    // A coin at height 0 counts from the genesis block's own time.
    BOOST_CHECK_EQUAL(Locks(tx, {0}, chain[20]).second, 1000 + 1536 - 1);
    // The type flag with the disable flag is no lock at all.
    tx.vin[0].sequence |= TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG;
    BOOST_CHECK(Locks(tx, {12}, chain[20]) == std::make_pair(-1, int64_t(-1)));

    // Height and time inputs together: both locks apply.
    tx = TxWithInputs(2, 4);
    tx.vin[1].sequence = TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG | 1;
    lock = Locks(tx, {20, 12}, chain[29]);
    BOOST_CHECK_EQUAL(lock.first, 23);
    BOOST_CHECK_EQUAL(lock.second, 4600 + 512 - 1);
    BOOST_CHECK(!EvaluateSequenceLocks(chain[23], lock)); // height not yet
    BOOST_CHECK(EvaluateSequenceLocks(chain[24], lock));
    BOOST_CHECK(!EvaluateSequenceLocks(chain[24], {23, 6399 + 600 * 10})); // time not yet
}

BOOST_AUTO_TEST_CASE(check_tx_inputs)
{
    const Coin coinbase(TxOut(50 * COIN, Script() << OP_TRUE), 50, true);
    const Coin plain(TxOut(10 * COIN, Script() << OP_TRUE), 60, false);
    const Coin spent;
    BOOST_REQUIRE(spent.IsSpent());

    auto check = [](const MutableTransaction& mtx, std::vector<const Coin*> coins, int height, Amount* fee_out = nullptr) {
        TxValidationState state;
        Amount fee = -1;
        const bool ok = CheckTxInputs(Transaction(mtx), state, coins, height, fee);
        if (fee_out) *fee_out = fee;
        BOOST_CHECK_EQUAL(ok, state.IsValid());
        return ok ? std::string("ok") : state.GetRejectReason();
    };
    MutableTransaction tx = TxWithInputs(2, TxIn::SEQUENCE_FINAL);
    tx.vout[0].value = 55 * COIN;

    Amount fee = 0;
    BOOST_CHECK_EQUAL(check(tx, {&coinbase, &plain}, 150, &fee), "ok");
    BOOST_CHECK_EQUAL(fee, 5 * COIN);
    // Missing or spent: checked for every input before anything else.
    BOOST_CHECK_EQUAL(check(tx, {&coinbase, nullptr}, 150), "bad-txns-inputs-missingorspent");
    BOOST_CHECK_EQUAL(check(tx, {&spent, &plain}, 150), "bad-txns-inputs-missingorspent");
    BOOST_CHECK_EQUAL(check(tx, {&coinbase, nullptr}, 100), "bad-txns-inputs-missingorspent");

    // Coinbase maturity: 100 blocks.
    {
        TxValidationState state;
        std::vector<const Coin*> coins{&coinbase, &plain};
        BOOST_CHECK(!CheckTxInputs(Transaction(tx), state, coins, 149, fee));
        BOOST_CHECK_EQUAL(state.GetRejectReason(), "bad-txns-premature-spend-of-coinbase");
        BOOST_CHECK_EQUAL(state.GetDebugMessage(), "tried to spend coinbase at depth 99");
        BOOST_CHECK(state.GetResult() == TxResult::PREMATURE_SPEND);
    }
    BOOST_CHECK_EQUAL(check(tx, {&plain, &coinbase}, 149), "bad-txns-premature-spend-of-coinbase");
    // Other outputs mature at once.
    tx.vout[0].value = 20 * COIN;
    BOOST_CHECK_EQUAL(check(tx, {&plain, &plain}, 61), "ok");

    // Values out of range, one by one or added up.
    const Coin too_big(TxOut(MAX_MONEY + 1, Script() << OP_TRUE), 1, false);
    const Coin max(TxOut(MAX_MONEY, Script() << OP_TRUE), 1, false);
    const Coin negative(TxOut(-2, Script() << OP_TRUE), 1, false);
    tx.vout[0].value = 0;
    BOOST_CHECK_EQUAL(check(tx, {&too_big, &plain}, 200), "bad-txns-inputvalues-outofrange");
    BOOST_CHECK_EQUAL(check(tx, {&plain, &negative}, 200), "bad-txns-inputvalues-outofrange");
    BOOST_CHECK_EQUAL(check(tx, {&max, &plain}, 200), "bad-txns-inputvalues-outofrange");
    BOOST_CHECK_EQUAL(check(TxWithInputs(1, 0), {&max}, 200), "ok");

    // Spending more than the inputs.
    tx.vout[0].value = 20 * COIN + 1;
    {
        TxValidationState state;
        std::vector<const Coin*> coins{&plain, &plain};
        BOOST_CHECK(!CheckTxInputs(Transaction(tx), state, coins, 200, fee));
        BOOST_CHECK_EQUAL(state.GetRejectReason(), "bad-txns-in-belowout");
        BOOST_CHECK_EQUAL(state.GetDebugMessage(), "value in (20.00) < value out (20.00000001)");
    }
    tx.vout[0].value = 20 * COIN;
    BOOST_CHECK_EQUAL(check(tx, {&plain, &plain}, 200, &fee), "ok");
    BOOST_CHECK_EQUAL(fee, 0);
}

BOOST_AUTO_TEST_SUITE_END()
