// Tests for net/blockencodings.h (BIP 152): the wire encodings of
// cmpctblock, getblocktxn and blocktxn against hand-built bytes, the short
// id against a vector computed independently (Python hashlib SHA-256 and the
// functional framework's SipHash, itself checked against the SipHash
// paper's vector), and block reconstruction from a real TxMemPool: all,
// some or none of the transactions there, extra transactions, a short id
// matching the wrong transaction, duplicate short ids and bad indexes.
#include "net/blockencodings.h"

#include "consensus/chain_params.h"
#include "consensus/merkle.h"
#include "crypto/hash.h"
#include "mempool/tx_mempool.h"
#include "test/unit/mempool/mempool_test_util.h"
#include "test/util/chain_builder.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <stdexcept>

using namespace cairn;
using namespace cairn::test;

namespace {

uint256 Bytes32(uint8_t first)
{
    uint8_t b[32];
    for (int i = 0; i < 32; ++i) b[i] = uint8_t(first + i);
    return uint256(ByteSpan(b, 32));
}

/** A regtest block on genesis holding `txs` after its coinbase (witness commitment included). */
struct BlockSetup {
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST, {})};
    ChainBuilder builder{*params};
    TxMemPool pool{MempoolOptions{}};

    Block MakeBlock(const std::vector<TransactionRef>& txs)
    {
        std::vector<MutableTransaction> mtxs;
        for (const TransactionRef& tx : txs) mtxs.push_back(ToMutable(*tx));
        return builder.CreateBlock(builder.GenesisHash(), mtxs);
    }
    void AddToPool(const TransactionRef& tx)
    {
        std::lock_guard lock(pool.GetMutex());
        pool.AddUnchecked(MakeEntry(tx, 1000, 200));
    }
};

std::vector<TransactionRef> ThreeTxs()
{
    return {MakeTx({ConfirmedCoin(1)}, 1, true), MakeTx({ConfirmedCoin(2)}, 2, true), MakeTx({ConfirmedCoin(3)}, 1, true)};
}

bool SameBlock(const Block& a, const Block& b)
{
    if (a.GetHash() != b.GetHash() || a.vtx.size() != b.vtx.size()) return false;
    for (size_t i = 0; i < a.vtx.size(); ++i) {
        if (a.vtx[i]->GetWtxid() != b.vtx[i]->GetWtxid()) return false;
    }
    return true;
}

} // namespace

BOOST_AUTO_TEST_SUITE(blockencodings_tests)

BOOST_AUTO_TEST_CASE(short_id_known_vector)
{
    BlockHeader h;
    h.version = 1;
    h.prev_block = Bytes32(0);
    h.merkle_root = Bytes32(32);
    h.time = 1231006505;
    h.bits = 0x1d00ffff;
    h.nonce = 2083236893;
    const ShortIdKey key = ComputeShortIdKey(h, 0x0102030405060708ULL);
    BOOST_CHECK_EQUAL(key.k0, 0x23493aced7bc615fULL);
    BOOST_CHECK_EQUAL(key.k1, 0xe7c62a9577c08d8dULL);
    BOOST_CHECK_EQUAL(key.ShortId(Bytes32(64)), 0x56142adc9256ULL);

    // The key is the first 16 bytes of SHA256(header || nonce), little-endian words.
    Bytes pre;
    VectorWriter w(pre);
    SerializeBlockHeader(w, h);
    WriteU64LE(w, 0x0102030405060708ULL);
    const uint256 sha = Sha256Single(pre);
    BOOST_CHECK_EQUAL(key.k0, sha.GetUint64(0));
    BOOST_CHECK_EQUAL(key.k1, sha.GetUint64(1));
}

BOOST_AUTO_TEST_CASE(getblocktxn_encoding)
{
    BlockTransactionsRequest req;
    req.blockhash = Bytes32(0x11);
    req.indexes = {0, 1, 3, 300};
    const Bytes b = SerializeBlockTransactionsRequest(req);
    // hash, count 4, deltas 0, 0, 1 (3-1-1), 296 (300-3-1 = 0x0128 as fd 28 01)
    BOOST_CHECK_EQUAL(HexStr(b), HexStr(req.blockhash.span()) + "04" "00" "00" "01" "fd2801");
    const BlockTransactionsRequest back = DeserializeBlockTransactionsRequest(b);
    BOOST_CHECK(back.blockhash == req.blockhash);
    BOOST_CHECK(back.indexes == req.indexes);

    // Not increasing: no differential encoding exists.
    req.indexes = {3, 3};
    BOOST_CHECK_THROW(SerializeBlockTransactionsRequest(req), std::invalid_argument);
    req.indexes = {5, 2};
    BOOST_CHECK_THROW(SerializeBlockTransactionsRequest(req), std::invalid_argument);

    // 65535 is the last index; one more overflows the 16-bit indexes.
    Bytes ok = Bytes(32, 0);
    ok.insert(ok.end(), {0x01, 0xfd, 0xff, 0xff});
    BOOST_CHECK_EQUAL(DeserializeBlockTransactionsRequest(ok).indexes.at(0), 65535);
    Bytes over = Bytes(32, 0);
    over.insert(over.end(), {0x02, 0xfd, 0xff, 0xff, 0x00});
    BOOST_CHECK_THROW(DeserializeBlockTransactionsRequest(over), DeserializeError);
    Bytes big = Bytes(32, 0);
    big.insert(big.end(), {0x01, 0xfe, 0x00, 0x00, 0x01, 0x00});
    BOOST_CHECK_THROW(DeserializeBlockTransactionsRequest(big), DeserializeError);
    // A count larger than the payload, and a truncated hash.
    Bytes lying = Bytes(32, 0);
    lying.insert(lying.end(), {0xfd, 0x00, 0x10});
    BOOST_CHECK_THROW(DeserializeBlockTransactionsRequest(lying), DeserializeError);
    BOOST_CHECK_THROW(DeserializeBlockTransactionsRequest(Bytes(31, 0)), DeserializeError);
}

BOOST_AUTO_TEST_CASE(cmpctblock_encoding)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    const Block block = s.MakeBlock(txs);
    const HeaderAndShortIDs cmpct(block, 0xfedcba9876543210ULL);
    BOOST_REQUIRE_EQUAL(cmpct.short_ids.size(), 3u);
    BOOST_REQUIRE_EQUAL(cmpct.prefilled.size(), 1u);
    BOOST_CHECK_EQUAL(cmpct.prefilled[0].index, 0);
    BOOST_CHECK(cmpct.prefilled[0].tx == block.vtx[0]);
    const ShortIdKey key = ComputeShortIdKey(block, 0xfedcba9876543210ULL);
    for (size_t i = 0; i < 3; ++i) BOOST_CHECK_EQUAL(cmpct.short_ids[i], key.ShortId(block.vtx[i + 1]->GetWtxid()));

    // header | nonce | 03 | 3 × 6 bytes | 01 | 00 | coinbase with witness
    Bytes expected;
    VectorWriter w(expected);
    SerializeBlockHeader(w, block);
    WriteU64LE(w, 0xfedcba9876543210ULL);
    WriteU8(w, 3);
    for (uint64_t id : cmpct.short_ids) {
        for (int i = 0; i < 6; ++i) WriteU8(w, uint8_t(id >> (8 * i)));
    }
    WriteU8(w, 1);
    WriteU8(w, 0);
    SerializeTransaction(w, *block.vtx[0], true);
    const Bytes b = SerializeHeaderAndShortIDs(cmpct);
    BOOST_CHECK_EQUAL(HexStr(b), HexStr(expected));
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(b).subspan(80, 8)), "1032547698badcfe");

    const HeaderAndShortIDs back = DeserializeHeaderAndShortIDs(b);
    BOOST_CHECK(back.header == cmpct.header);
    BOOST_CHECK_EQUAL(back.nonce, cmpct.nonce);
    BOOST_CHECK(back.short_ids == cmpct.short_ids);
    BOOST_REQUIRE_EQUAL(back.prefilled.size(), 1u);
    BOOST_CHECK(back.prefilled[0].tx->GetWtxid() == block.vtx[0]->GetWtxid());

    // Short ids are 6 little-endian bytes.
    HeaderAndShortIDs manual;
    manual.header = block;
    manual.short_ids = {0x0000aabbccddeeffULL};
    const Bytes m = SerializeHeaderAndShortIDs(manual);
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(m).subspan(88)), "01" "ffeeddccbbaa" "00");
    manual.short_ids = {1ULL << 48};
    BOOST_CHECK_THROW(SerializeHeaderAndShortIDs(manual), std::invalid_argument);

    // Truncated anywhere: an error, never a crash.
    for (size_t len = 0; len < b.size(); len += 7) {
        BOOST_CHECK_THROW(DeserializeHeaderAndShortIDs(ByteSpan(b).first(len)), DeserializeError);
    }
    // A prefilled index over 16 bits.
    Bytes bad(b.begin(), b.begin() + 80 + 8 + 1 + 18);
    bad.insert(bad.end(), {0x01, 0xfe, 0x00, 0x00, 0x01, 0x00});
    Bytes cb = SerializeTransactionBytes(*block.vtx[0]);
    bad.insert(bad.end(), cb.begin(), cb.end());
    BOOST_CHECK_THROW(DeserializeHeaderAndShortIDs(bad), DeserializeError);
    // More than 65535 transactions in all.
    HeaderAndShortIDs huge;
    huge.header = block;
    huge.short_ids.assign(65535, 7);
    huge.prefilled.push_back({0, block.vtx[0]});
    BOOST_CHECK_THROW(DeserializeHeaderAndShortIDs(SerializeHeaderAndShortIDs(huge)), DeserializeError);
    huge.prefilled.clear();
    BOOST_CHECK_EQUAL(DeserializeHeaderAndShortIDs(SerializeHeaderAndShortIDs(huge)).short_ids.size(), 65535u);
}

BOOST_AUTO_TEST_CASE(blocktxn_encoding)
{
    const auto txs = ThreeTxs();
    BlockTransactions bt;
    bt.blockhash = Bytes32(0x40);
    bt.txn = {txs[0], txs[2]};
    const Bytes b = SerializeBlockTransactions(bt);
    const std::string tx0 = HexStr(SerializeTransactionBytes(*txs[0], true));
    const std::string tx2 = HexStr(SerializeTransactionBytes(*txs[2], true));
    BOOST_CHECK_EQUAL(HexStr(b), HexStr(bt.blockhash.span()) + "02" + tx0 + tx2);
    const BlockTransactions back = DeserializeBlockTransactions(b);
    BOOST_CHECK(back.blockhash == bt.blockhash);
    BOOST_REQUIRE_EQUAL(back.txn.size(), 2u);
    BOOST_CHECK(back.txn[0]->GetWtxid() == txs[0]->GetWtxid());
    BOOST_CHECK(back.txn[1]->GetWtxid() == txs[2]->GetWtxid());
    BOOST_CHECK(back.txn[1]->HasWitness());
    BOOST_CHECK_THROW(DeserializeBlockTransactions(ByteSpan(b).first(b.size() - 1)), DeserializeError);
}

BOOST_AUTO_TEST_CASE(reconstruct_all_from_mempool)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    for (const auto& tx : txs) s.AddToPool(tx);
    const Block block = s.MakeBlock(txs);
    // Through the wire encoding, as a peer would send it.
    const HeaderAndShortIDs cmpct = DeserializeHeaderAndShortIDs(SerializeHeaderAndShortIDs(HeaderAndShortIDs(block, 42)));
    PartiallyDownloadedBlock partial;
    BOOST_REQUIRE_EQUAL(partial.InitData(cmpct, &s.pool, {}), READ_STATUS_OK);
    BOOST_CHECK(partial.MissingIndexes().empty());
    for (size_t i = 0; i < 4; ++i) BOOST_CHECK(partial.IsTxAvailable(i));
    BOOST_CHECK_EQUAL(partial.prefilled_count, 1u);
    BOOST_CHECK_EQUAL(partial.mempool_count, 3u);
    Block out;
    BOOST_REQUIRE_EQUAL(partial.FillBlock(out, {}, true), READ_STATUS_OK);
    BOOST_CHECK(SameBlock(out, block));
    // Consumed: a second fill (a repeated blocktxn) is invalid.
    BOOST_CHECK_EQUAL(partial.FillBlock(out, {}, true), READ_STATUS_INVALID);
    BOOST_CHECK(partial.Header().IsNull());
}

BOOST_AUTO_TEST_CASE(reconstruct_some_and_none)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    s.AddToPool(txs[0]);
    s.AddToPool(txs[2]);
    const Block block = s.MakeBlock(txs);
    const HeaderAndShortIDs cmpct(block, 7);
    {
        PartiallyDownloadedBlock partial;
        BOOST_REQUIRE_EQUAL(partial.InitData(cmpct, &s.pool, {}), READ_STATUS_OK);
        BOOST_CHECK(partial.MissingIndexes() == std::vector<uint16_t>{2});
        Block out;
        BOOST_REQUIRE_EQUAL(partial.FillBlock(out, {block.vtx[2]}, true), READ_STATUS_OK);
        BOOST_CHECK(SameBlock(out, block));
    }
    {
        // Too few or too many missing transactions: the peer's fault.
        PartiallyDownloadedBlock partial;
        BOOST_REQUIRE_EQUAL(partial.InitData(cmpct, &s.pool, {}), READ_STATUS_OK);
        Block out;
        BOOST_CHECK_EQUAL(partial.FillBlock(out, {}, true), READ_STATUS_INVALID);
        PartiallyDownloadedBlock partial2;
        BOOST_REQUIRE_EQUAL(partial2.InitData(cmpct, &s.pool, {}), READ_STATUS_OK);
        BOOST_CHECK_EQUAL(partial2.FillBlock(out, {block.vtx[2], block.vtx[1]}, true), READ_STATUS_INVALID);
    }
    {
        // The wrong transaction: the merkle root does not match (FAILED: fetch the block).
        PartiallyDownloadedBlock partial;
        BOOST_REQUIRE_EQUAL(partial.InitData(cmpct, &s.pool, {}), READ_STATUS_OK);
        Block out;
        BOOST_CHECK_EQUAL(partial.FillBlock(out, {block.vtx[1]}, true), READ_STATUS_FAILED);
    }
    {
        // Nothing in the pool (or no pool at all): every non-coinbase transaction is missing.
        TxMemPool empty{MempoolOptions{}};
        PartiallyDownloadedBlock partial;
        BOOST_REQUIRE_EQUAL(partial.InitData(cmpct, &empty, {}), READ_STATUS_OK);
        BOOST_CHECK((partial.MissingIndexes() == std::vector<uint16_t>{1, 2, 3}));
        BOOST_CHECK(partial.IsTxAvailable(0));
        Block out;
        BOOST_REQUIRE_EQUAL(partial.FillBlock(out, {block.vtx[1], block.vtx[2], block.vtx[3]}, true), READ_STATUS_OK);
        BOOST_CHECK(SameBlock(out, block));
        PartiallyDownloadedBlock nopool;
        BOOST_REQUIRE_EQUAL(nopool.InitData(cmpct, nullptr, {}), READ_STATUS_OK);
        BOOST_CHECK_EQUAL(nopool.MissingIndexes().size(), 3u);
    }
    {
        // The one missing from the pool is among the extra transactions.
        PartiallyDownloadedBlock partial;
        BOOST_REQUIRE_EQUAL(partial.InitData(cmpct, &s.pool, {nullptr, txs[1]}), READ_STATUS_OK);
        BOOST_CHECK(partial.MissingIndexes().empty());
        BOOST_CHECK_EQUAL(partial.extra_count, 1u);
        Block out;
        BOOST_REQUIRE_EQUAL(partial.FillBlock(out, {}, true), READ_STATUS_OK);
        BOOST_CHECK(SameBlock(out, block));
    }
}

BOOST_AUTO_TEST_CASE(prefilled_indexes)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    s.AddToPool(txs[0]);
    const Block block = s.MakeBlock(txs);
    const ShortIdKey key = ComputeShortIdKey(block, 9);
    // Coinbase and the third transaction prefilled: differential indexes 0 and 1 (2 - 0 - 1).
    HeaderAndShortIDs cmpct;
    cmpct.header = block;
    cmpct.nonce = 9;
    cmpct.prefilled = {{0, block.vtx[0]}, {1, block.vtx[2]}};
    cmpct.short_ids = {key.ShortId(block.vtx[1]->GetWtxid()), key.ShortId(block.vtx[3]->GetWtxid())};
    const HeaderAndShortIDs wire = DeserializeHeaderAndShortIDs(SerializeHeaderAndShortIDs(cmpct));
    PartiallyDownloadedBlock partial;
    BOOST_REQUIRE_EQUAL(partial.InitData(wire, &s.pool, {}), READ_STATUS_OK);
    BOOST_CHECK(partial.MissingIndexes() == std::vector<uint16_t>{3});
    BOOST_CHECK_EQUAL(partial.prefilled_count, 2u);
    Block out;
    BOOST_REQUIRE_EQUAL(partial.FillBlock(out, {block.vtx[3]}, true), READ_STATUS_OK);
    BOOST_CHECK(SameBlock(out, block));
}

BOOST_AUTO_TEST_CASE(bad_compact_blocks)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    const Block block = s.MakeBlock(txs);
    const HeaderAndShortIDs good(block, 1);
    auto init = [&](const HeaderAndShortIDs& c) {
        PartiallyDownloadedBlock p;
        return p.InitData(c, &s.pool, {});
    };
    BOOST_CHECK_EQUAL(init(good), READ_STATUS_OK);

    // No transactions at all, or a null header.
    HeaderAndShortIDs c = good;
    c.short_ids.clear();
    c.prefilled.clear();
    BOOST_CHECK_EQUAL(init(c), READ_STATUS_INVALID);
    c = good;
    c.header = BlockHeader{};
    BOOST_CHECK_EQUAL(init(c), READ_STATUS_INVALID);

    // A prefilled index past every short id: a transaction with neither.
    c = good;
    c.prefilled[0].index = 4;
    BOOST_CHECK_EQUAL(init(c), READ_STATUS_INVALID);
    c = good;
    c.prefilled.push_back({4, block.vtx[1]}); // 0, then 0+4+1 = 5 > 3 short ids + 1
    BOOST_CHECK_EQUAL(init(c), READ_STATUS_INVALID);
    // Indexes far past the end (their sum past 65535).
    c = good;
    c.prefilled = {{65535, block.vtx[0]}, {65535, block.vtx[1]}};
    BOOST_CHECK_EQUAL(init(c), READ_STATUS_INVALID);
    // A prefilled "transaction" with no inputs and no outputs.
    c = good;
    c.prefilled[0].tx = MakeTransactionRef(MutableTransaction{});
    BOOST_CHECK_EQUAL(init(c), READ_STATUS_INVALID);

    // InitData twice on the same object.
    PartiallyDownloadedBlock twice;
    BOOST_CHECK_EQUAL(twice.InitData(good, &s.pool, {}), READ_STATUS_OK);
    BOOST_CHECK_EQUAL(twice.InitData(good, &s.pool, {}), READ_STATUS_INVALID);

    // FillBlock before InitData.
    PartiallyDownloadedBlock fresh;
    Block out;
    BOOST_CHECK_EQUAL(fresh.FillBlock(out, {}, true), READ_STATUS_INVALID);
}

BOOST_AUTO_TEST_CASE(short_id_collisions)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    for (const auto& tx : txs) s.AddToPool(tx);
    const Block block = s.MakeBlock(txs);

    // Two transactions of the block with the same short id: we cannot tell
    // where a pool match goes, so the block is fetched whole.
    HeaderAndShortIDs dup(block, 3);
    dup.short_ids[2] = dup.short_ids[0];
    PartiallyDownloadedBlock p1;
    BOOST_CHECK_EQUAL(p1.InitData(dup, &s.pool, {}), READ_STATUS_FAILED);

    // A short id that (as by a collision) matches another pool transaction:
    // the wrong transaction is taken, and the merkle root catches it.
    const TransactionRef other = MakeTx({ConfirmedCoin(9)}, 1, true);
    s.AddToPool(other);
    HeaderAndShortIDs wrong(block, 3);
    wrong.short_ids[1] = wrong.Key().ShortId(other->GetWtxid());
    PartiallyDownloadedBlock p2;
    BOOST_REQUIRE_EQUAL(p2.InitData(wrong, &s.pool, {}), READ_STATUS_OK);
    BOOST_CHECK(p2.MissingIndexes().empty());
    Block out;
    BOOST_CHECK_EQUAL(p2.FillBlock(out, {}, true), READ_STATUS_FAILED);

    // The same transaction in the pool and in the extra list is no collision.
    TxMemPool pool2{MempoolOptions{}};
    {
        std::lock_guard lock(pool2.GetMutex());
        pool2.AddUnchecked(MakeEntry(txs[0], 1000, 200));
        pool2.AddUnchecked(MakeEntry(txs[2], 1000, 200));
    }
    PartiallyDownloadedBlock p3;
    BOOST_REQUIRE_EQUAL(p3.InitData(HeaderAndShortIDs(block, 3), &pool2, {txs[0], txs[1]}), READ_STATUS_OK);
    BOOST_CHECK(p3.MissingIndexes().empty());
    BOOST_CHECK_EQUAL(p3.extra_count, 1u);
    BOOST_CHECK_EQUAL(p3.FillBlock(out, {}, true), READ_STATUS_OK);
    BOOST_CHECK(SameBlock(out, block));
}

BOOST_AUTO_TEST_CASE(mutation_checks)
{
    BlockSetup s;
    const auto txs = ThreeTxs();
    Block block = s.MakeBlock(txs);
    BOOST_CHECK(!IsBlockMutated(block, true));
    // Swapped transactions: the merkle root no longer commits to them.
    Block swapped = block;
    std::swap(swapped.vtx[1], swapped.vtx[2]);
    BOOST_CHECK(IsBlockMutated(swapped, true));
    // Another witness (same txid, other wtxid): caught by the witness commitment.
    Block rewitnessed = block;
    MutableTransaction m = ToMutable(*block.vtx[1]);
    m.vin[0].witness.stack.push_back(Bytes{0x09});
    rewitnessed.vtx[1] = MakeTransactionRef(std::move(m));
    BOOST_CHECK(rewitnessed.vtx[1]->GetTxid() == block.vtx[1]->GetTxid());
    BOOST_CHECK(IsBlockMutated(rewitnessed, true));
    // Before segwit, witness data is not allowed at all.
    BOOST_CHECK(IsBlockMutated(block, false));
}

BOOST_AUTO_TEST_SUITE_END()
