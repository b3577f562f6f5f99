// The crash test: a child process imports a generated regtest chain with a
// tiny UTXO cache (so the chainstate is flushed many times, in many small
// LevelDB batches) and is killed with SIGKILL at random moments, some of them
// inside a flush between two batches; each restart must repair the state
// (Load replays an interrupted flush) and carry on. At the end the node must
// hold exactly the tip and UTXO set of a node that never crashed.
//
// The child is this test binary run again (fork + exec) on one test case,
// crash_tests/child_import, which does nothing unless CAIRN_CRASH_CHILD is
// set. A plain fork would not do: LevelDB's background compaction thread
// does not exist in a forked child, whose writes would then stall forever.
//
// The same property against the real daemon, with the UTXO set compared
// after every restart, is test/functional/feature_crash_import.py: it kills
// cairnd itself during a -loadblock import, inside flushes included.
#include "consensus/chain_params.h"
#include "storage/coins_db.h"
#include "test/util/blkfile.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"
#include "util/log.h"
#include "validation/block_import.h"
#include "validation/chainstate_manager.h"
#include "validation/coin_stats.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace cairn;

namespace {

constexpr const char* CHILD_ENV = "CAIRN_CRASH_CHILD";
/** The child's engine: a 1 MiB -dbcache (about 640 KiB of UTXO cache) and
 *  8 KiB LevelDB batches, so that flushes are frequent and span batches. */
constexpr size_t CHILD_DB_CACHE = size_t(1) << 20;
constexpr size_t CHILD_BATCH_BYTES = size_t(8) << 10;

struct Quiet {
    Quiet() { Logger::Instance().SetQuiet(true); }
    ~Quiet() { Logger::Instance().SetQuiet(false); }
};

ChainstateOptions ChildOptions(const std::filesystem::path& datadir, const ChainParams& params)
{
    ChainstateOptions opts;
    opts.datadir = datadir;
    opts.params = &params;
    opts.db_cache_bytes = CHILD_DB_CACHE;
    opts.db_batch_bytes = CHILD_BATCH_BYTES;
    opts.script_threads = 1;
    return opts;
}

std::string ReadText(const std::filesystem::path& path)
{
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string JsonField(const std::string& json, const std::string& key)
{
    std::smatch m;
    const std::regex re("\"" + key + "\"\\s*:\\s*\"?([0-9a-f]+)\"?");
    if (!std::regex_search(json, m, re)) return "";
    return m[1];
}

/** A running child: its pid and where its output goes. */
struct Child {
    pid_t pid{-1};
    std::filesystem::path output;
};

/** Starts this binary on crash_tests/child_import with `args` in CAIRN_CRASH_CHILD. */
Child SpawnChild(const std::string& args, const std::filesystem::path& output)
{
    const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    // Everything the child needs is built before fork(): after it, only
    // async-signal-safe calls.
    std::vector<std::string> arg_store{exe, "--run_test=crash_tests/child_import", "--log_level=error",
                                       "--report_level=no"};
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e) {
        if (std::strncmp(*e, CHILD_ENV, std::strlen(CHILD_ENV)) != 0) env_store.emplace_back(*e);
    }
    env_store.push_back(std::string(CHILD_ENV) + "=" + args);
    std::vector<char*> argv, envp;
    for (std::string& a : arg_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (std::string& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string out = output.string();

    Child child;
    child.output = output;
    child.pid = ::fork();
    BOOST_REQUIRE_MESSAGE(child.pid >= 0, "fork failed");
    if (child.pid == 0) {
        const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::close(fd);
        }
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    return child;
}

/** Waits for the child, at most `timeout`; kills it after that. Returns the wait status. */
int WaitChild(const Child& child, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(child.pid, &status, WNOHANG);
        if (r == child.pid) return status;
        if (r < 0) return -1;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child.pid, SIGKILL);
            ::waitpid(child.pid, &status, 0);
            BOOST_ERROR("crash test child did not finish in time; output:\n" << ReadText(child.output));
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

struct Result {
    int height{-1};
    uint256 tip;
    uint256 hash_serialized;
    uint256 muhash;
};

Result Summarize(ChainstateManager& chainman)
{
    BlockValidationState state;
    BOOST_REQUIRE(chainman.FlushStateToDisk(FlushMode::ALWAYS, state));
    Result r;
    r.height = chainman.Height();
    r.tip = chainman.TipHash();
    std::lock_guard lock(chainman.GetMutex());
    r.hash_serialized = *ComputeCoinsStats(chainman.CoinsDatabase(), CoinStatsHashType::HASH_SERIALIZED)->hash;
    r.muhash = *ComputeCoinsStats(chainman.CoinsDatabase(), CoinStatsHashType::MUHASH)->hash;
    return r;
}

uintmax_t LogSize(const std::filesystem::path& datadir)
{
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(datadir / "debug.log", ec);
    return ec ? 0 : size;
}

/** True if the chainstate on disk is in the middle of a flush ('H' present). */
bool FlushWasInterrupted(const std::filesystem::path& datadir)
{
    DatabaseOptions o;
    o.path = datadir / "chainstate";
    o.obfuscate = true;
    CoinsDB db(o);
    return !db.GetHeadBlocks().empty();
}

} // namespace

BOOST_AUTO_TEST_SUITE(crash_tests)

BOOST_AUTO_TEST_CASE(interrupted_flush_is_replayed)
{
    // In-process and deterministic: a flush cut short after its third
    // partial batch (the hook throws, as a crash would stop it) leaves the
    // head-blocks marker; the next Load must replay the blocks and end with
    // the exact UTXO set (mainnet blocks 1-255).
    Quiet quiet;
    test::TempDir dir("cairn_crash");
    auto params = CreateChainParams(ChainType::MAIN);
    Bytes file;
    VectorWriter w(file);
    const Bytes genesis = SerializeBlockBytes(params->GenesisBlock());
    w.Write(test::MAINNET_MAGIC);
    WriteU32LE(w, uint32_t(genesis.size()));
    w.Write(genesis);
    const Bytes rest = test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2");
    w.Write(rest);
    {
        std::ofstream f(dir / "import.blk", std::ios::binary);
        f.write(reinterpret_cast<const char*>(file.data()), std::streamsize(file.size()));
    }
    ChainstateOptions opts;
    opts.datadir = dir / "node";
    opts.params = params.get();
    opts.db_batch_bytes = 1024;
    {
        ChainstateManager chainman(opts);
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman.Load(error), error);
        chainman.ImportBlocks({dir / "import.blk"});
        BOOST_REQUIRE_EQUAL(chainman.Height(), 255);
        {
            std::lock_guard lock(chainman.GetMutex());
            // Stays armed: the flush at destruction dies the same way.
            chainman.CoinsDatabase().m_after_partial_batch = [](size_t n) {
                if (n >= 3) throw std::runtime_error("simulated crash");
            };
        }
        BlockValidationState state;
        BOOST_CHECK(!chainman.FlushStateToDisk(FlushMode::ALWAYS, state));
    }
    BOOST_REQUIRE(FlushWasInterrupted(dir / "node"));
    ChainstateManager chainman(opts);
    std::string error;
    BOOST_REQUIRE_MESSAGE(chainman.Load(error), error);
    {
        std::lock_guard lock(chainman.GetMutex());
        BOOST_CHECK(chainman.CoinsDatabase().GetHeadBlocks().empty());
    }
    BOOST_CHECK_EQUAL(chainman.Height(), 255);
    const Result got = Summarize(chainman);
    BOOST_CHECK_EQUAL(got.tip.GetHex(), "00000000d0a75c861fabf9ff7b92022f60e4afeed9331fe5aa073d8e4706fe3c");
    BOOST_CHECK_EQUAL(got.hash_serialized.GetHex(), "197bb41ba05f50473d030f9980198a4220c43e6a7741ea8557e4f79a502ed89a");
}

/** The child's side: open (repairing what the last kill left), import,
 *  optionally kill itself inside the n-th partial batch of a flush. */
BOOST_AUTO_TEST_CASE(child_import, *boost::unit_test::disabled())
{
    const char* env = std::getenv(CHILD_ENV);
    if (!env) {
        BOOST_TEST_MESSAGE("crash_tests/child_import runs only as a child of crash_tests/sigkill_during_import");
        return;
    }
    // datadir|chain file|kill at partial batch n (0: never)
    std::stringstream ss(env);
    std::string datadir, file, kill_at_str;
    std::getline(ss, datadir, '|');
    std::getline(ss, file, '|');
    std::getline(ss, kill_at_str, '|');
    const int kill_at = std::stoi(kill_at_str);
    // The node's log goes to <datadir>/debug.log, for the parent to show on failure.
    std::filesystem::create_directories(datadir);
    Logger::Instance().OpenFile(std::filesystem::path(datadir) / "debug.log");
    Logger::Instance().SetQuiet(false);
    Logger::Instance().Write("---- child start, kill at partial batch " + kill_at_str);

    auto params = CreateChainParams(ChainType::REGTEST);
    ChainstateManager chainman(ChildOptions(datadir, *params));
    std::string error;
    if (!chainman.Load(error)) {
        std::fprintf(stderr, "child: Load failed: %s\n", error.c_str());
        std::_Exit(3);
    }
    if (kill_at > 0) {
        std::lock_guard lock(chainman.GetMutex());
        chainman.CoinsDatabase().m_after_partial_batch = [kill_at, seen = 0](size_t) mutable {
            if (++seen >= kill_at) ::raise(SIGKILL);
        };
    }
    const ImportStats stats = chainman.ImportBlocks({file});
    if (stats.failed || stats.rejected || stats.bad_records) {
        std::fprintf(stderr, "child: import failed (failed=%d rejected=%llu bad=%llu)\n", int(stats.failed),
                     (unsigned long long)stats.rejected, (unsigned long long)stats.bad_records);
        std::_Exit(4);
    }
    BlockValidationState state;
    if (!chainman.FlushStateToDisk(FlushMode::ALWAYS, state)) std::_Exit(5);
    std::fprintf(stderr, "child: done at height %d\n", chainman.Height());
    BOOST_CHECK(true);
}

BOOST_AUTO_TEST_CASE(sigkill_during_import)
{
    Quiet quiet;
    const auto test_start = std::chrono::steady_clock::now();
    test::TempDir dir("cairn_crash");
    auto params = CreateChainParams(ChainType::REGTEST);

    // The chain: big enough that a 1 MiB cache is flushed many times.
    const std::filesystem::path script = std::filesystem::path(test::VectorsDir()) / ".." / "bench" / "genchain.py";
    BOOST_REQUIRE_MESSAGE(std::filesystem::exists(script), "missing chain generator " + script.string());
    const std::filesystem::path chain = dir / "chain.blk";
    const std::string cmd = "python3 '" + script.string() + "' --blocks 160 --txs-per-block 150 --seed 3 --out '" +
                            chain.string() + "' --quiet > '" + (dir / "genchain.log").string() + "' 2>&1";
    BOOST_REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "genchain.py failed: " + ReadText(dir / "genchain.log"));
    const std::string tip_hash = JsonField(ReadText(chain.string() + ".json"), "tip_hash");
    BOOST_REQUIRE_EQUAL(tip_hash.size(), 64U);

    // The reference: the same import without crashes, with the children's
    // settings, counting the partial batches a whole import writes.
    Result expected;
    double reference_secs;
    size_t partial_batches = 0;
    {
        ChainstateManager chainman(ChildOptions(dir / "reference", *params));
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman.Load(error), error);
        chainman.CoinsDatabase().m_after_partial_batch = [&](size_t) { ++partial_batches; };
        const auto start = std::chrono::steady_clock::now();
        const ImportStats stats = chainman.ImportBlocks({chain});
        reference_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        BOOST_REQUIRE(!stats.failed);
        expected = Summarize(chainman);
    }
    BOOST_REQUIRE_EQUAL(expected.tip.GetHex(), tip_hash);
    BOOST_TEST_MESSAGE("crash test: reference import of " << expected.height << " blocks in " << reference_secs
                                                          << " s, " << partial_batches << " partial batches");
    BOOST_REQUIRE_GE(partial_batches, 20U);
    // A node with a large cache (one flush at the end) agrees.
    {
        ChainstateOptions opts = ChildOptions(dir / "reference-large", *params);
        opts.db_cache_bytes = size_t(64) << 20;
        opts.db_batch_bytes = size_t(16) << 20;
        ChainstateManager chainman(opts);
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman.Load(error), error);
        chainman.ImportBlocks({chain});
        const Result large = Summarize(chainman);
        BOOST_REQUIRE_EQUAL(large.hash_serialized.GetHex(), expected.hash_serialized.GetHex());
    }

    // Several lives of a node, each from an empty datadir: killed inside the
    // n-th partial batch of a flush (the child kills itself from the hook),
    // killed after a random delay, killed inside a flush again; then this
    // process repairs the datadir, finishes the import and compares.
    std::mt19937 rng(20250101);
    int killed_by_delay = 0, killed_in_flush = 0, replays = 0, completed = 0;
    const int lives = 5;
    for (int life = 0; life < lives; ++life) {
        const std::filesystem::path datadir = dir / ("node" + std::to_string(life));
        for (int round = 0; round < 3; ++round) {
            const bool in_flush = round != 1;
            // Round 0 always dies inside a flush (the import writes
            // partial_batches in all, give or take the cache's hashing).
            const size_t range = round == 0 ? partial_batches * 3 / 4 : partial_batches / 3;
            const int kill_at = in_flush ? 1 + int(rng() % range) : 0;
            const uintmax_t log_size = LogSize(datadir);
            const Child child =
                SpawnChild(datadir.string() + "|" + chain.string() + "|" + std::to_string(kill_at),
                           dir / ("child-" + std::to_string(life) + "-" + std::to_string(round) + ".log"));
            int status = 0;
            bool reaped = false;
            if (!in_flush) {
                // Once the child is connecting blocks (its log has grown by a
                // few UpdateTip lines), after a random delay; a child that
                // finishes first is fine too.
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                while (std::chrono::steady_clock::now() < deadline && LogSize(datadir) < log_size + 2000) {
                    if ((reaped = ::waitpid(child.pid, &status, WNOHANG) == child.pid)) break;
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                if (!reaped) {
                    const int max_ms = 1 + int(reference_secs * 300);
                    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % unsigned(max_ms)));
                    ::kill(child.pid, SIGKILL);
                }
            }
            if (!reaped) status = WaitChild(child, std::chrono::seconds(60));
            if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
                ++(in_flush ? killed_in_flush : killed_by_delay);
                if (FlushWasInterrupted(datadir)) ++replays;
            } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                ++completed;
            } else {
                const std::string log = ReadText(datadir / "debug.log");
                BOOST_ERROR("life " << life << " round " << round << ": the child failed (status " << status
                                    << "); output:\n"
                                    << ReadText(child.output) << "\nlast lines of its debug.log:\n"
                                    << log.substr(log.size() > 6000 ? log.size() - 6000 : 0));
                return;
            }
        }
        // The survivor: repair (Load replays an interrupted flush), finish, compare.
        {
            ChainstateManager chainman(ChildOptions(datadir, *params));
            std::string error;
            BOOST_REQUIRE_MESSAGE(chainman.Load(error), error);
            const ImportStats stats = chainman.ImportBlocks({chain});
            BOOST_CHECK(!stats.failed);
            BOOST_CHECK_EQUAL(stats.rejected, 0U);
            BOOST_CHECK_EQUAL(stats.bad_records, 0U);
            const Result got = Summarize(chainman);
            BOOST_CHECK_EQUAL(got.height, expected.height);
            BOOST_CHECK_EQUAL(got.tip.GetHex(), expected.tip.GetHex());
            BOOST_CHECK_EQUAL(got.hash_serialized.GetHex(), expected.hash_serialized.GetHex());
            BOOST_CHECK_EQUAL(got.muhash.GetHex(), expected.muhash.GetHex());
        }
        // And again after a clean restart.
        ChainstateManager chainman(ChildOptions(datadir, *params));
        std::string error;
        BOOST_REQUIRE_MESSAGE(chainman.Load(error), error);
        const Result got = Summarize(chainman);
        BOOST_CHECK_EQUAL(got.tip.GetHex(), expected.tip.GetHex());
        BOOST_CHECK_EQUAL(got.hash_serialized.GetHex(), expected.hash_serialized.GetHex());
    }
    BOOST_TEST_MESSAGE("crash test: " << lives << " lives, " << killed_in_flush << " kills inside a flush, "
                                      << killed_by_delay << " after a delay (" << replays
                                      << " left a flush to replay), " << completed << " children finished, "
                                      << std::chrono::duration<double>(std::chrono::steady_clock::now() - test_start).count()
                                      << " s in all");
    BOOST_CHECK_GE(killed_in_flush, lives);
    BOOST_CHECK_GE(replays, lives);
    BOOST_CHECK_GE(killed_by_delay, 1);
}

BOOST_AUTO_TEST_SUITE_END()
