// Real mainnet blocks: parse, re-serialise byte for byte, and check the
// hashes that tie them together (proof of work, merkle root, chain links).
#include "consensus/merkle.h"
#include "primitives/block.h"
#include "test/util/blkfile.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

/** hash <= the target encoded in `bits`, computed on bytes so the test does
 *  not depend on the arithmetic it might one day be used to check. */
bool MeetsTarget(const uint256& hash, uint32_t bits)
{
    int exponent = bits >> 24;
    uint32_t mantissa = bits & 0x007fffff;
    uint8_t target[32] = {}; // little-endian
    for (int i = 0; i < 3; ++i) {
        int pos = exponent - 3 + i;
        if (pos >= 0 && pos < 32) target[pos] = uint8_t(mantissa >> (8 * i));
    }
    for (int i = 31; i >= 0; --i) {
        if (hash.data()[i] != target[i]) return hash.data()[i] < target[i];
    }
    return true;
}

Block ParseWhole(ByteSpan raw)
{
    Reader r(raw);
    Block b = DeserializeBlock(r);
    BOOST_REQUIRE(r.empty());
    return b;
}

void CheckBlock(const Bytes& raw, const Block& b)
{
    BOOST_CHECK(SerializeBlockBytes(b) == raw);
    bool mutated = true;
    BOOST_CHECK(BlockMerkleRoot(b, &mutated) == b.merkle_root);
    BOOST_CHECK(!mutated);
    BOOST_CHECK(MeetsTarget(b.GetHash(), b.bits));
    BOOST_CHECK(b.vtx.at(0)->IsCoinBase());
}

} // namespace

BOOST_AUTO_TEST_SUITE(block_tests)

BOOST_AUTO_TEST_CASE(mainnet_blocks_0_to_4)
{
    // The genesis block followed by four blocks mined on top of it for btcd's
    // tests: a side chain with real difficulty-1 work, not mainnet's blocks 1-4.
    auto raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-0-4.blk.bz2"), test::MAINNET_MAGIC);
    BOOST_REQUIRE_EQUAL(raws.size(), 5U);
    uint256 prev;
    for (size_t i = 0; i < raws.size(); ++i) {
        Block b = ParseWhole(raws[i]);
        CheckBlock(raws[i], b);
        BOOST_CHECK(b.prev_block == prev);
        prev = b.GetHash();
    }
    Block genesis = ParseWhole(raws[0]);
    BOOST_CHECK_EQUAL(genesis.GetHash().GetHex(), "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    // The genesis merkle root is its coinbase's txid.
    BOOST_CHECK_EQUAL(genesis.merkle_root.GetHex(), "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    BOOST_CHECK(genesis.vtx[0]->GetTxid() == genesis.merkle_root);
    test::ReportCases("blocks/mainnet-0-4.blk.bz2", raws.size());
}

BOOST_AUTO_TEST_CASE(mainnet_blocks_1_to_255)
{
    auto raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2"), test::MAINNET_MAGIC);
    BOOST_REQUIRE_EQUAL(raws.size(), 255U);
    uint256 prev = *uint256::FromHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    std::vector<uint256> hashes;
    for (const Bytes& raw : raws) {
        Block b = ParseWhole(raw);
        CheckBlock(raw, b);
        BOOST_CHECK(b.prev_block == prev);
        prev = b.GetHash();
        hashes.push_back(prev);
    }
    // Mainnet's blocks 1, 2, 3 and 255.
    BOOST_CHECK_EQUAL(hashes[0].GetHex(), "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048");
    BOOST_CHECK_EQUAL(hashes[1].GetHex(), "000000006a625f06636b8bb6ac7b960a8d03705d1ace08b1a19da3fdcc99ddbd");
    BOOST_CHECK_EQUAL(hashes[2].GetHex(), "0000000082b5015589a3fdf2d4baff403e6f0be035a5d9742c1cae6295464449");
    BOOST_CHECK_EQUAL(hashes[254].GetHex(), "00000000d0a75c861fabf9ff7b92022f60e4afeed9331fe5aa073d8e4706fe3c");
    test::ReportCases("blocks/mainnet-1-255.blk.bz2", raws.size());
}

BOOST_AUTO_TEST_CASE(mainnet_block_277647)
{
    auto raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-277647.blk.bz2"), test::MAINNET_MAGIC);
    BOOST_REQUIRE_EQUAL(raws.size(), 1U);
    Block b = ParseWhole(raws[0]);
    CheckBlock(raws[0], b);
    BOOST_CHECK_GT(b.vtx.size(), 1U);
    BOOST_CHECK_EQUAL(b.GetHash().GetHex(), "0000000000000000054a714e580b16c583701712ab91060e92dbde6eb1e052a8");
    test::ReportCases("blocks/mainnet-277647.blk.bz2", 1);
}

BOOST_AUTO_TEST_CASE(mainnet_block_413567)
{
    std::string s = test::ReadVectorFile("blocks/mainnet-413567.raw");
    Bytes raw(s.begin(), s.end());
    Block b = ParseWhole(raw);
    CheckBlock(raw, b);
    BOOST_CHECK_EQUAL(b.GetHash().GetHex(), "0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069");
    BOOST_CHECK_GT(b.vtx.size(), 1000U);
    // Pre-segwit: nothing to strip, so both serialisations agree.
    BOOST_CHECK(SerializeBlockBytes(b, false) == raw);
    for (const auto& tx : b.vtx) BOOST_CHECK(tx->GetTxid() == tx->GetWtxid());
    test::ReportCases("blocks/mainnet-413567.raw", 1);
}

BOOST_AUTO_TEST_CASE(megatx)
{
    Bytes raw = test::ReadBzip2VectorFile("blocks/megatx.bin.bz2");
    Reader r(raw);
    TransactionRef tx = DeserializeTransaction(r);
    BOOST_CHECK(r.empty());
    BOOST_CHECK(SerializeTransactionBytes(*tx) == raw);
    BOOST_CHECK_EQUAL(tx->GetTxid().GetHex(), "bb41a757f405890fb0f5856228e23b715702d714d59bf2b1feb70d8b2b4e3e08");
    BOOST_CHECK_EQUAL(raw.size(), 999657U);
    test::ReportCases("blocks/megatx.bin.bz2", 1);
}

BOOST_AUTO_TEST_CASE(truncated_blocks_are_rejected)
{
    std::string s = test::ReadVectorFile("blocks/mainnet-413567.raw");
    Bytes raw(s.begin(), s.end());
    // Every prefix must fail cleanly; stepping through a sample keeps the test fast.
    for (size_t len = 0; len < raw.size(); len += (len < 2000 ? 1 : 997)) {
        Reader r(ByteSpan(raw.data(), len));
        BOOST_CHECK_THROW(DeserializeBlock(r), DeserializeError);
    }
}

BOOST_AUTO_TEST_CASE(mutated_merkle_tree_is_detected)
{
    auto raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-277647.blk.bz2"), test::MAINNET_MAGIC);
    Block b = ParseWhole(raws[0]);
    // CVE-2012-2459: repeating the last transaction(s) of an odd level keeps
    // the root but must be flagged as a mutation.
    if (b.vtx.size() % 2 == 0) b.vtx.pop_back();
    uint256 root = BlockMerkleRoot(b);
    b.vtx.push_back(b.vtx.back());
    bool mutated = false;
    BOOST_CHECK(BlockMerkleRoot(b, &mutated) == root);
    BOOST_CHECK(mutated);
}

BOOST_AUTO_TEST_SUITE_END()
