// Importing blocks from files: -loadblock over damaged and shuffled files of
// real mainnet blocks, a generated regtest chain with real scripts, -reindex
// and -reindex-chainstate, and an interrupted reindex.
#include "consensus/chain_params.h"
#include "crypto/hash.h"
#include "test/util/blkfile.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"
#include "util/log.h"
#include "validation/block_import.h"
#include "validation/chainstate_manager.h"
#include "validation/coin_stats.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

using namespace cairn;

namespace {

const char* const TIP_255 = "00000000d0a75c861fabf9ff7b92022f60e4afeed9331fe5aa073d8e4706fe3c";
const char* const HASH_255 = "197bb41ba05f50473d030f9980198a4220c43e6a7741ea8557e4f79a502ed89a";

struct Quiet {
    Quiet() { Logger::Instance().SetQuiet(true); }
    ~Quiet() { Logger::Instance().SetQuiet(false); }
};

/** Sends the log to a file for the life of the object, to check its lines. */
class LogCapture
{
public:
    explicit LogCapture(std::filesystem::path path) : m_path(std::move(path))
    {
        Logger::Instance().OpenFile(m_path);
        Logger::Instance().SetQuiet(false);
    }
    ~LogCapture()
    {
        Logger::Instance().SetQuiet(true);
        Logger::Instance().CloseFile();
    }
    std::string Text() const
    {
        std::ifstream f(m_path);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }
    bool Contains(const std::string& s) const { return Text().find(s) != std::string::npos; }

private:
    std::filesystem::path m_path;
};

struct OpenOptions {
    bool reindex{false};
    bool reindex_chainstate{false};
    int script_threads{0};
    size_t db_cache_bytes{size_t(16) << 20};
};

ChainstateOptions MakeOptions(const std::filesystem::path& dir, const ChainParams& params, const OpenOptions& o)
{
    ChainstateOptions opts;
    opts.datadir = dir;
    opts.params = &params;
    opts.script_threads = o.script_threads;
    opts.db_cache_bytes = o.db_cache_bytes;
    opts.reindex = o.reindex;
    opts.reindex_chainstate = o.reindex_chainstate;
    return opts;
}

std::unique_ptr<ChainstateManager> Open(const std::filesystem::path& dir, const ChainParams& params,
                                        const OpenOptions& o = {})
{
    auto chainman = std::make_unique<ChainstateManager>(MakeOptions(dir, params, o));
    std::string error;
    BOOST_REQUIRE_MESSAGE(chainman->Load(error), error);
    return chainman;
}

CoinsStats Stats(ChainstateManager& chainman, CoinStatsHashType type = CoinStatsHashType::HASH_SERIALIZED)
{
    BlockValidationState state;
    BOOST_REQUIRE(chainman.FlushStateToDisk(FlushMode::ALWAYS, state));
    std::lock_guard lock(chainman.GetMutex());
    return *ComputeCoinsStats(chainman.CoinsDatabase(), type);
}

Bytes Record(const MessageStart& magic, ByteSpan raw)
{
    Bytes out(magic.begin(), magic.end());
    VectorWriter w(out);
    WriteU32LE(w, uint32_t(raw.size()));
    w.Write(raw);
    return out;
}

void Append(Bytes& out, ByteSpan b) { out.insert(out.end(), b.begin(), b.end()); }

void WriteFile(const std::filesystem::path& path, ByteSpan data)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
    BOOST_REQUIRE(f.good());
}

Bytes ReadFileBytes(const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

/** The mainnet genesis block and blocks 1-255, raw. */
const std::vector<Bytes>& MainnetBlocks()
{
    static const std::vector<Bytes> blocks = [] {
        auto params = CreateChainParams(ChainType::MAIN);
        std::vector<Bytes> out{SerializeBlockBytes(params->GenesisBlock())};
        for (Bytes& raw : test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2"),
                                             test::MAINNET_MAGIC)) {
            out.push_back(std::move(raw));
        }
        return out;
    }();
    return blocks;
}

Bytes MainnetFile(const std::vector<size_t>& order)
{
    Bytes file;
    for (size_t i : order) Append(file, Record(test::MAINNET_MAGIC, MainnetBlocks()[i]));
    return file;
}

std::vector<size_t> InOrder(size_t n = 256)
{
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    return order;
}

void CheckMainnetTip(ChainstateManager& chainman)
{
    BOOST_CHECK_EQUAL(chainman.Height(), 255);
    BOOST_CHECK_EQUAL(chainman.TipHash().GetHex(), TIP_255);
    CoinsStats stats = Stats(chainman);
    BOOST_CHECK_EQUAL(stats.txouts, 260U);
    BOOST_CHECK_EQUAL(stats.hash->GetHex(), HASH_255);
}

/** Imports `file` into a fresh mainnet node and returns the stats. */
ImportStats ImportMainnet(const test::TempDir& dir, ByteSpan file, std::unique_ptr<ChainstateManager>* keep = nullptr)
{
    static auto params = CreateChainParams(ChainType::MAIN);
    const std::filesystem::path path = dir / "import.blk";
    WriteFile(path, file);
    auto chainman = Open(dir / "node", *params);
    ImportStats stats = chainman->ImportBlocks({path});
    BOOST_CHECK(!stats.failed);
    BOOST_CHECK(!stats.interrupted);
    if (keep) *keep = std::move(chainman);
    return stats;
}

// ---- the generated regtest chain ----

struct RegtestChain {
    std::filesystem::path file;
    std::string tip_hash;
    int tip_height{0};
    uint64_t utxo_count{0};
};

std::string JsonField(const std::string& json, const std::string& key)
{
    std::smatch m;
    const std::regex re("\"" + key + "\"\\s*:\\s*\"?([0-9a-f]+)\"?");
    if (!std::regex_search(json, m, re)) return "";
    return m[1];
}

/** Runs ../shared/bench/genchain.py; fails the test if it cannot. */
RegtestChain GenerateRegtestChain(const std::filesystem::path& dir, int blocks, int txs_per_block)
{
    const std::filesystem::path script = std::filesystem::path(test::VectorsDir()) / ".." / "bench" / "genchain.py";
    BOOST_REQUIRE_MESSAGE(std::filesystem::exists(script), "missing chain generator " + script.string());
    RegtestChain chain;
    chain.file = dir / "regtest.blk";
    const std::string cmd = "python3 '" + script.string() + "' --blocks " + std::to_string(blocks) +
                            " --txs-per-block " + std::to_string(txs_per_block) + " --out '" + chain.file.string() +
                            "' --quiet > '" + (dir / "genchain.log").string() + "' 2>&1";
    const int rc = std::system(cmd.c_str());
    BOOST_REQUIRE_MESSAGE(rc == 0, "genchain.py failed (" + std::to_string(rc) + "): " +
                                       [&] {
                                           std::ifstream f(dir / "genchain.log");
                                           std::stringstream ss;
                                           ss << f.rdbuf();
                                           return ss.str();
                                       }());
    std::ifstream jf(chain.file.string() + ".json");
    std::stringstream json;
    json << jf.rdbuf();
    chain.tip_hash = JsonField(json.str(), "tip_hash");
    chain.tip_height = std::stoi(JsonField(json.str(), "tip_height"));
    chain.utxo_count = std::stoull(JsonField(json.str(), "utxo_count"));
    BOOST_REQUIRE_EQUAL(chain.tip_hash.size(), 64U);
    BOOST_REQUIRE_EQUAL(chain.tip_height, blocks);
    return chain;
}

} // namespace

BOOST_AUTO_TEST_SUITE(block_import_tests)

BOOST_AUTO_TEST_CASE(mainnet_in_order)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    std::unique_ptr<ChainstateManager> chainman;
    const ImportStats stats = ImportMainnet(dir, MainnetFile(InOrder()), &chainman);
    CheckMainnetTip(*chainman);
    BOOST_CHECK_EQUAL(stats.files, 1U);
    BOOST_CHECK_EQUAL(stats.blocks_read, 256U);
    BOOST_CHECK_EQUAL(stats.blocks_accepted, 255U);
    BOOST_CHECK_EQUAL(stats.already_had, 1U); // the genesis block, stored at the first start
    BOOST_CHECK_EQUAL(stats.bad_records, 0U);
    BOOST_CHECK_EQUAL(stats.unknown_parent, 0U);

    // Importing the same file again finds everything known.
    const ImportStats again = chainman->ImportBlocks({dir / "import.blk"});
    BOOST_CHECK_EQUAL(again.already_had, 256U);
    BOOST_CHECK_EQUAL(again.blocks_accepted, 0U);
    CheckMainnetTip(*chainman);

    // A missing file and a file of another network are logged, not fatal.
    const ImportStats none = chainman->ImportBlocks({dir / "does-not-exist.blk"});
    BOOST_CHECK(!none.failed);
    BOOST_CHECK_EQUAL(none.files, 0U);
    Bytes testnet_file;
    for (size_t i = 0; i < 20; ++i) {
        Append(testnet_file, Record(MessageStart{0x0b, 0x11, 0x09, 0x07}, MainnetBlocks()[i]));
    }
    WriteFile(dir / "testnet.blk", testnet_file);
    const ImportStats other = chainman->ImportBlocks({dir / "testnet.blk"});
    BOOST_CHECK_EQUAL(other.files, 1U);
    BOOST_CHECK_EQUAL(other.blocks_read, 0U);
    CheckMainnetTip(*chainman);
}

BOOST_AUTO_TEST_CASE(mainnet_shuffled)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    std::vector<size_t> order = InOrder();
    std::mt19937 rng(20240601);
    std::shuffle(order.begin(), order.end(), rng);
    std::unique_ptr<ChainstateManager> chainman;
    const ImportStats stats = ImportMainnet(dir, MainnetFile(order), &chainman);
    CheckMainnetTip(*chainman);
    BOOST_CHECK_EQUAL(stats.blocks_read, 256U);
    BOOST_CHECK_EQUAL(stats.blocks_accepted, 255U);
    BOOST_CHECK_GT(stats.unknown_parent, 100U); // most blocks came before their parent
    BOOST_CHECK_EQUAL(stats.dropped, 0U);

    // Reversed: every block but the genesis waits, and all are connected
    // when the genesis block (last in the file) arrives.
    test::TempDir dir2("cairn_import");
    std::vector<size_t> reversed = InOrder();
    std::reverse(reversed.begin(), reversed.end());
    const ImportStats rev = ImportMainnet(dir2, MainnetFile(reversed), &chainman);
    CheckMainnetTip(*chainman);
    BOOST_CHECK_EQUAL(rev.unknown_parent, 254U); // block 1's parent, the genesis, is known from the start
}

BOOST_AUTO_TEST_CASE(mainnet_unknown_parent_bound)
{
    // Out-of-order blocks beyond the bound are dropped, not kept: memory
    // stays bounded. Importing the file again (or a better one) fills the gap.
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    std::vector<size_t> reversed = InOrder();
    std::reverse(reversed.begin(), reversed.end());
    WriteFile(dir / "reversed.blk", MainnetFile(reversed));
    auto chainman = Open(dir / "node", *params);
    ImportOptions opts;
    opts.max_unknown_parent_bytes = 10 * 128; // ten blocks
    BlockImporter importer(*chainman, opts);
    BOOST_CHECK(importer.LoadExternalFile(dir / "reversed.blk"));
    importer.Finish();
    BOOST_CHECK_EQUAL(importer.Stats().unknown_parent, 10U);
    BOOST_CHECK_EQUAL(importer.Stats().dropped, 254U); // 244 over the bound, 10 whose parent never came
    BOOST_CHECK_EQUAL(chainman->Height(), 1);          // block 1's parent was known
    WriteFile(dir / "in-order.blk", MainnetFile(InOrder()));
    BlockImporter again(*chainman, opts);
    BOOST_CHECK(again.LoadExternalFile(dir / "in-order.blk"));
    again.Finish();
    BOOST_CHECK_EQUAL(again.Stats().blocks_accepted, 254U);
    CheckMainnetTip(*chainman);
}

BOOST_AUTO_TEST_CASE(mainnet_garbage_between_records)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    LogCapture log(dir / "debug.log");
    const MessageStart magic = test::MAINNET_MAGIC;
    std::mt19937 rng(7);
    Bytes file;
    // Garbage before the first record, too.
    for (int i = 0; i < 100; ++i) file.push_back(uint8_t(rng()));
    for (size_t i = 0; i < 256; ++i) {
        Append(file, Record(magic, MainnetBlocks()[i]));
        switch (i % 8) {
        case 0: // random bytes
            for (unsigned k = 0, n = rng() % 300; k < n; ++k) file.push_back(uint8_t(rng()));
            break;
        case 1: // zeros, as in a pre-allocated tail
            file.insert(file.end(), rng() % 5000, 0);
            break;
        case 2: // a magic with an absurd size
            Append(file, magic);
            Append(file, Bytes{0xff, 0xff, 0xff, 0x7f});
            break;
        case 3: // a magic with a size too small for a block
            Append(file, magic);
            Append(file, Bytes{0x10, 0x00, 0x00, 0x00, 1, 2, 3});
            break;
        case 4: // parts of the magic
            Append(file, Bytes{magic[0], magic[1], magic[2], magic[0], magic[1], magic[0]});
            break;
        case 5: // a plausible record whose payload is not a block
            Append(file, magic);
            Append(file, Bytes{0x00, 0x01, 0x00, 0x00});
            for (int k = 0; k < 256; ++k) file.push_back(uint8_t(rng()));
            break;
        default:
            break;
        }
    }
    std::unique_ptr<ChainstateManager> chainman;
    const ImportStats stats = ImportMainnet(dir, file, &chainman);
    CheckMainnetTip(*chainman);
    BOOST_CHECK_EQUAL(stats.blocks_accepted, 255U);
    BOOST_CHECK_GE(stats.bad_records, 3U * 32U); // cases 2, 3 and 5
    BOOST_CHECK_EQUAL(stats.rejected, 0U);
    BOOST_CHECK(log.Contains("is impossible for a block"));
    BOOST_CHECK(log.Contains("does not decode"));
}

BOOST_AUTO_TEST_CASE(mainnet_truncated_final_record)
{
    Quiet quiet;
    const Bytes full = MainnetFile(InOrder());
    {
        // The last block cut in half: the file ends cleanly at block 254.
        test::TempDir dir("cairn_import");
        LogCapture log(dir / "debug.log");
        Bytes file = full;
        file.resize(file.size() - MainnetBlocks()[255].size() / 2);
        std::unique_ptr<ChainstateManager> chainman;
        const ImportStats stats = ImportMainnet(dir, file, &chainman);
        BOOST_CHECK_EQUAL(chainman->Height(), 254);
        BOOST_CHECK_EQUAL(stats.blocks_read, 255U);
        BOOST_CHECK_EQUAL(stats.bad_records, 1U);
        BOOST_CHECK(log.Contains("(truncated)"));
    }
    {
        // A complete file followed by a copy of a block cut short, and by a
        // record header cut short: the right tip, two log lines.
        test::TempDir dir("cairn_import");
        LogCapture log(dir / "debug.log");
        Bytes file = full;
        Bytes copy = Record(test::MAINNET_MAGIC, MainnetBlocks()[100]);
        copy.resize(copy.size() - 10);
        Append(file, copy);
        std::unique_ptr<ChainstateManager> chainman;
        ImportStats stats = ImportMainnet(dir, file, &chainman);
        CheckMainnetTip(*chainman);
        BOOST_CHECK_EQUAL(stats.bad_records, 1U);
        BOOST_CHECK(log.Contains("(truncated)"));

        Bytes header_cut = full;
        Append(header_cut, test::MAINNET_MAGIC);
        header_cut.push_back(0x10);
        WriteFile(dir / "cut.blk", header_cut);
        stats = chainman->ImportBlocks({dir / "cut.blk"});
        BOOST_CHECK_EQUAL(stats.bad_records, 1U);
        BOOST_CHECK_EQUAL(stats.already_had, 256U);
        BOOST_CHECK(log.Contains("the file ends inside its header"));
        CheckMainnetTip(*chainman);
    }
}

BOOST_AUTO_TEST_CASE(mainnet_corrupt_records)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    LogCapture log(dir / "debug.log");
    const MessageStart magic = test::MAINNET_MAGIC;
    const auto& blocks = MainnetBlocks();
    auto with_size = [&](size_t i, uint32_t size) {
        Bytes rec = Record(magic, blocks[i]);
        rec[4] = uint8_t(size);
        rec[5] = uint8_t(size >> 8);
        rec[6] = uint8_t(size >> 16);
        rec[7] = uint8_t(size >> 24);
        return rec;
    };
    Bytes file;
    for (size_t i = 0; i < 256; ++i) {
        const uint32_t len = uint32_t(blocks[i].size());
        switch (i) {
        case 10: Append(file, with_size(i, 0xffffffff)); break; // absurd size
        case 20: Append(file, with_size(i, len + 1000)); break; // swallows the start of the next record
        case 30: Append(file, with_size(i, len - 50)); break;   // cuts the block short
        case 40: Append(file, with_size(i, 79)); break;         // smaller than a header
        case 50: Append(file, with_size(i, 3999999)); break;    // plausible, runs past the end of the file
        case 60: {
            // Transaction bytes damaged: the block decodes but does not match
            // its header. A good copy follows.
            Bytes rec = Record(magic, blocks[i]);
            rec[rec.size() - 30] ^= 0x55;
            Append(file, rec);
            Append(file, Record(magic, blocks[i]));
            break;
        }
        case 70: {
            // A record that does not decode at all (the transaction count
            // claims more than the record holds). A good copy follows.
            Bytes rec = Record(magic, blocks[i]);
            rec[8 + 80] = 0xfd;
            rec[8 + 81] = 0xff;
            rec[8 + 82] = 0xff;
            Append(file, rec);
            Append(file, Record(magic, blocks[i]));
            break;
        }
        default: Append(file, Record(magic, blocks[i])); break;
        }
    }
    std::unique_ptr<ChainstateManager> chainman;
    const ImportStats stats = ImportMainnet(dir, file, &chainman);
    CheckMainnetTip(*chainman);
    BOOST_CHECK_EQUAL(stats.blocks_accepted, 255U);
    BOOST_CHECK_EQUAL(stats.recovered, 5U); // the five damaged sizes
    BOOST_CHECK_EQUAL(stats.rejected, 1U);  // block 60's damaged copy (bad-txnmrklroot)
    BOOST_CHECK(log.Contains("recovered block"));
    BOOST_CHECK(log.Contains("bad-txnmrklroot"));
    // The block with damaged transactions was not held against its header.
    std::lock_guard lock(chainman->GetMutex());
    const BlockIndex* b60 = chainman->ActiveChain()[60];
    BOOST_REQUIRE(b60);
    BOOST_CHECK(!(b60->status & BLOCK_FAILED_MASK));
}

BOOST_AUTO_TEST_CASE(mainnet_random_damage)
{
    // Random damage anywhere (flipped bytes, cut and duplicated ranges):
    // never a crash, and the chain is a prefix of the real one.
    Quiet quiet;
    const Bytes full = MainnetFile(InOrder());
    std::mt19937 rng(99);
    for (int round = 0; round < 8; ++round) {
        test::TempDir dir("cairn_import");
        Bytes file = full;
        for (int k = 0; k < 20; ++k) {
            const size_t at = rng() % file.size();
            switch (rng() % 3) {
            case 0: file[at] ^= uint8_t(1 + rng() % 255); break;
            case 1: file.erase(file.begin() + at, file.begin() + std::min(file.size(), at + rng() % 500)); break;
            default: {
                const size_t len = std::min<size_t>(rng() % 2000, file.size() - at);
                Bytes dup(file.begin() + at, file.begin() + at + len);
                file.insert(file.begin() + rng() % file.size(), dup.begin(), dup.end());
            }
            }
        }
        std::unique_ptr<ChainstateManager> chainman;
        const ImportStats stats = ImportMainnet(dir, file, &chainman);
        BOOST_CHECK_LE(stats.blocks_accepted, 255U);
        const int height = chainman->Height();
        std::lock_guard lock(chainman->GetMutex());
        const BlockIndex* tip = chainman->ActiveChain().Tip();
        BOOST_REQUIRE(tip);
        Reader r(MainnetBlocks()[size_t(height)]);
        BOOST_CHECK(tip->GetBlockHash() == DeserializeBlockHeader(r).GetHash());
    }
}

BOOST_AUTO_TEST_CASE(regtest_generated_chain)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    const RegtestChain chain = GenerateRegtestChain(dir.path(), 120, 50);
    auto params = CreateChainParams(ChainType::REGTEST);
    OpenOptions o;
    o.script_threads = 2;
    auto chainman = Open(dir / "node", *params, o);
    const auto start = std::chrono::steady_clock::now();
    const ImportStats stats = chainman->ImportBlocks({chain.file});
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE("regtest import: " << stats.blocks_read << " blocks in " << secs << " s ("
                                          << double(stats.blocks_read) / secs << " blocks/s)");
    BOOST_CHECK(!stats.failed);
    BOOST_CHECK_EQUAL(stats.rejected, 0U);
    BOOST_CHECK_EQUAL(stats.bad_records, 0U);
    BOOST_CHECK_EQUAL(stats.blocks_accepted, uint64_t(chain.tip_height));
    BOOST_CHECK_EQUAL(chainman->Height(), chain.tip_height);
    BOOST_CHECK_EQUAL(chainman->TipHash().GetHex(), chain.tip_hash);
    BOOST_CHECK_EQUAL(Stats(*chainman).txouts, chain.utxo_count);
}

BOOST_AUTO_TEST_CASE(reindex_and_reindex_chainstate)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    std::vector<size_t> order = InOrder();
    std::mt19937 rng(5);
    std::shuffle(order.begin() + 1, order.end(), rng);
    std::unique_ptr<ChainstateManager> chainman;
    ImportMainnet(dir, MainnetFile(order), &chainman);
    CheckMainnetTip(*chainman);
    const uint256 muhash = *Stats(*chainman, CoinStatsHashType::MUHASH).hash;
    chainman.reset();
    const std::filesystem::path node = dir / "node";
    const std::filesystem::path blk = node / "blocks" / "blk00000.dat";
    const Bytes blk_before = ReadFileBytes(blk);

    // -reindex: the index is rebuilt from blk00000.dat, which is only read.
    {
        OpenOptions o;
        o.reindex = true;
        chainman = Open(node, *params, o);
        BOOST_CHECK_EQUAL(chainman->Height(), -1); // nothing known before the files are read
        const ImportStats stats = chainman->ImportBlocks({});
        BOOST_CHECK(!stats.failed);
        BOOST_CHECK_EQUAL(stats.blocks_read, 256U);
        BOOST_CHECK_EQUAL(stats.blocks_accepted, 256U);
        CheckMainnetTip(*chainman);
        BOOST_CHECK(*Stats(*chainman, CoinStatsHashType::MUHASH).hash == muhash);
        chainman.reset();
        BOOST_CHECK(ReadFileBytes(blk) == blk_before);
    }
    // A restart without -reindex finds the rebuilt state; new blocks go after the old ones.
    {
        chainman = Open(node, *params);
        CheckMainnetTip(*chainman);
        std::lock_guard lock(chainman->GetMutex());
        for (const BlockIndex* b = chainman->ActiveChain().Tip(); b; b = b->prev) {
            BOOST_CHECK(b->status & BLOCK_HAVE_DATA);
            BOOST_CHECK(b->height == 0 || (b->status & BLOCK_HAVE_UNDO));
        }
    }
    chainman.reset();
    // -reindex-chainstate: the index and files stay, the UTXO set is rebuilt.
    {
        OpenOptions o;
        o.reindex_chainstate = true;
        o.script_threads = 2;
        chainman = Open(node, *params, o);
        // Load leaves the rebuild to ImportBlocks (the import thread).
        BOOST_CHECK_EQUAL(chainman->Height(), -1);
        const ImportStats stats = chainman->ImportBlocks({});
        BOOST_CHECK_EQUAL(stats.blocks_read, 0U);
        CheckMainnetTip(*chainman);
        BOOST_CHECK(*Stats(*chainman, CoinStatsHashType::MUHASH).hash == muhash);
        chainman.reset();
        BOOST_CHECK(ReadFileBytes(blk) == blk_before);
    }
    chainman = Open(node, *params);
    CheckMainnetTip(*chainman);
    // The reindexed node still disconnects blocks: its undo data is right.
    BlockValidationState state;
    const uint256 tip = chainman->TipHash();
    Reader r(MainnetBlocks()[100]);
    const uint256 b100 = DeserializeBlockHeader(r).GetHash();
    BOOST_REQUIRE(chainman->InvalidateBlock(state, b100));
    BOOST_CHECK_EQUAL(chainman->Height(), 99);
    BOOST_CHECK_EQUAL(Stats(*chainman).txouts, 99U); // one coinbase output per block 1-99
    BOOST_REQUIRE(chainman->ReconsiderBlock(state, b100));
    BOOST_CHECK(chainman->TipHash() == tip);
    CheckMainnetTip(*chainman);
}

BOOST_AUTO_TEST_CASE(reindex_own_files_out_of_order)
{
    // Block files laid out as a node that downloaded out of order leaves them:
    // two files, blocks shuffled across them, pre-allocated zeros after the
    // data. -reindex rebuilds the index; new blocks are stored after the
    // last block found; everything is readable after a restart.
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    const std::filesystem::path node = dir / "node";
    std::filesystem::create_directories(node / "blocks");
    std::vector<size_t> order = InOrder(201); // blocks 0-200 on disk
    std::mt19937 rng(11);
    std::shuffle(order.begin(), order.end(), rng);
    Bytes f0, f1;
    for (size_t k = 0; k < order.size(); ++k) {
        Append(k < 120 ? f0 : f1, Record(test::MAINNET_MAGIC, MainnetBlocks()[order[k]]));
    }
    f0.insert(f0.end(), 3000, 0);
    f1.insert(f1.end(), 70000, 0);
    WriteFile(node / "blocks" / "blk00000.dat", f0);
    WriteFile(node / "blocks" / "blk00001.dat", f1);
    {
        OpenOptions o;
        o.reindex = true;
        auto chainman = Open(node, *params, o);
        const ImportStats stats = chainman->ImportBlocks({});
        BOOST_CHECK_EQUAL(stats.blocks_accepted, 201U);
        BOOST_CHECK_EQUAL(stats.files, 2U);
        BOOST_CHECK_EQUAL(chainman->Height(), 200);
        // The rest arrive as from a peer.
        for (size_t i = 201; i < 256; ++i) {
            Reader r(MainnetBlocks()[i]);
            auto block = std::make_shared<const Block>(DeserializeBlock(r));
            BlockValidationState state;
            bool is_new = false;
            BOOST_REQUIRE(chainman->ProcessNewBlock(block, true, true, &is_new, &state));
        }
        CheckMainnetTip(*chainman);
    }
    auto chainman = Open(node, *params);
    CheckMainnetTip(*chainman);
    std::vector<const BlockIndex*> chain;
    {
        std::lock_guard lock(chainman->GetMutex());
        for (const BlockIndex* b = chainman->ActiveChain().Tip(); b; b = b->prev) chain.push_back(b);
    }
    BOOST_REQUIRE_EQUAL(chain.size(), 256U);
    for (const BlockIndex* b : chain) {
        BOOST_REQUIRE(b->status & BLOCK_HAVE_DATA);
        const std::optional<Block> block = chainman->ReadBlock(*b);
        BOOST_REQUIRE(block);
        BOOST_CHECK(block->GetHash() == b->GetBlockHash());
        if (b->height > 200) BOOST_CHECK_EQUAL(b->file, 1); // appended to the last file
    }
    // The first file's data were left as they were.
    BOOST_CHECK(ReadFileBytes(node / "blocks" / "blk00000.dat") == f0);
}

BOOST_AUTO_TEST_CASE(reindex_own_files_with_xor_key)
{
    // The same out-of-order files under a blocks/xor.dat key: -reindex reads
    // them through the key, blocks set aside for a missing parent included.
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    const std::filesystem::path node = dir / "node";
    std::filesystem::create_directories(node / "blocks");
    const BlocksXorKey key{0x5a, 0x01, 0xff, 0x80, 0x13, 0x37, 0x00, 0xc4};
    WriteFile(node / "blocks" / "xor.dat", Bytes(key.begin(), key.end()));
    std::vector<size_t> order = InOrder(150);
    std::mt19937 rng(17);
    std::shuffle(order.begin(), order.end(), rng);
    Bytes f0, f1;
    for (size_t k = 0; k < order.size(); ++k) {
        Append(k < 90 ? f0 : f1, Record(test::MAINNET_MAGIC, MainnetBlocks()[order[k]]));
    }
    f1.insert(f1.end(), 5000, 0); // pre-allocated zeros, XORed like the rest
    XorAtOffset(f0, 0, key);
    XorAtOffset(f1, 0, key);
    WriteFile(node / "blocks" / "blk00000.dat", f0);
    WriteFile(node / "blocks" / "blk00001.dat", f1);
    {
        OpenOptions o;
        o.reindex = true;
        auto chainman = Open(node, *params, o);
        const ImportStats stats = chainman->ImportBlocks({});
        BOOST_CHECK_EQUAL(stats.blocks_accepted, 150U);
        BOOST_CHECK_EQUAL(stats.bad_records, 0U);
        BOOST_CHECK_EQUAL(chainman->Height(), 149);
    }
    auto chainman = Open(node, *params);
    BOOST_CHECK_EQUAL(chainman->Height(), 149);
    std::lock_guard lock(chainman->GetMutex());
    for (const BlockIndex* b = chainman->ActiveChain().Tip(); b; b = b->prev) {
        BOOST_CHECK(b->status & BLOCK_HAVE_UNDO || b->height == 0);
    }
}

BOOST_AUTO_TEST_CASE(interrupted_reindex_resumes_without_reindex)
{
    // As Core: the reindex flag stays until every blk file was read, and the
    // next start, -reindex or not, goes on from the blocks already indexed.
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    ImportMainnet(dir, MainnetFile(InOrder()));
    const std::filesystem::path node = dir / "node";
    int interrupted_at = 0;
    {
        OpenOptions o;
        o.reindex = true;
        auto chainman = Open(node, *params, o);
        BOOST_CHECK(chainman->IsReindexing());
        int polls = 0;
        const ImportStats stats = chainman->ImportBlocks({}, [&] { return ++polls > 100; });
        BOOST_CHECK(stats.interrupted);
        BOOST_CHECK(chainman->IsReindexing());
        interrupted_at = chainman->Height();
        BOOST_CHECK_GT(interrupted_at, 10);
        BOOST_CHECK_LT(interrupted_at, 255);
    }
    {
        auto chainman = std::make_unique<ChainstateManager>(MakeOptions(node, *params, {}));
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman->Load(error), error);
        BOOST_CHECK(chainman->IsReindexing());
        // What the first run connected is kept, not rebuilt.
        BOOST_CHECK_EQUAL(chainman->Height(), interrupted_at);
        const ImportStats stats = chainman->ImportBlocks({});
        BOOST_CHECK(!stats.interrupted);
        BOOST_CHECK(!chainman->IsReindexing());
        BOOST_CHECK_GT(stats.already_had, 10U);
        CheckMainnetTip(*chainman);
    }
    // Done: an ordinary start.
    auto chainman = Open(node, *params);
    BOOST_CHECK(!chainman->IsReindexing());
    CheckMainnetTip(*chainman);
}

BOOST_AUTO_TEST_CASE(interrupted_loadblock_resumes)
{
    Quiet quiet;
    test::TempDir dir("cairn_import");
    auto params = CreateChainParams(ChainType::MAIN);
    WriteFile(dir / "import.blk", MainnetFile(InOrder()));
    {
        auto chainman = Open(dir / "node", *params);
        int polls = 0;
        const ImportStats stats = chainman->ImportBlocks({dir / "import.blk"}, [&] { return ++polls > 100; });
        BOOST_CHECK(stats.interrupted);
        BOOST_CHECK_GT(chainman->Height(), 10);
        BOOST_CHECK_LT(chainman->Height(), 255);
    }
    auto chainman = Open(dir / "node", *params);
    const ImportStats stats = chainman->ImportBlocks({dir / "import.blk"});
    BOOST_CHECK_GT(stats.already_had, 10U);
    CheckMainnetTip(*chainman);
}

BOOST_AUTO_TEST_SUITE_END()
