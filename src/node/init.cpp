#include "node/init.h"

#include "config/cairn-config.h"
#include "consensus/chain_params.h"
#include "consensus/block_check.h"
#include "crypto/sha256.h"
#include "mining/assembler_options.h"
#include "node/chainstate_args.h"
#include "node/datadir_lock.h"
#include "node/fee_estimation.h"
#include "node/mempool_setup.h"
#include "node/net_setup.h"
#include "node/notifications.h"
#include "node/options.h"
#include "node/rpc_setup.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "node/shutdown.h"
#include "util/args.h"
#include "util/log.h"
#include "util/time.h"
#include "validation/block_import.h"
#include "validation/chainstate_manager.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace cairn {

namespace {

constexpr const char* PROGRAM = "cairnd";

int InitError(const std::string& message)
{
    LogError("{}", message);
    std::fprintf(stderr, "Error: %s\n", message.c_str());
    return EXIT_FAILURE;
}

void RunCommandSync(const std::string& command)
{
    if (command.empty()) return;
    const int rc = std::system(command.c_str());
    if (rc != 0) LogInfo("runCommand error: system({}) returned {}", command, rc);
}

/** -daemon: the parent exits once the child runs detached from the terminal. */
bool Daemonize(std::string& error)
{
    const pid_t pid = fork();
    if (pid < 0) {
        error = "fork() failed";
        return false;
    }
    if (pid > 0) std::_Exit(EXIT_SUCCESS);
    if (setsid() < 0) {
        error = "setsid() failed";
        return false;
    }
    const int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        if (null_fd > STDERR_FILENO) close(null_fd);
    }
    return true;
}

void SetupLogging(const ArgsManager& args, const std::filesystem::path& datadir, bool daemon)
{
    Logger& log = Logger::Instance();
    log.SetPrintToConsole(args.GetBoolArg("-printtoconsole", !daemon));
    log.SetTimestamps(args.GetBoolArg("-logtimestamps", true));
    log.SetMicros(args.GetBoolArg("-logtimemicros", false));
    log.SetThreadNames(args.GetBoolArg("-logthreadnames", false));
    // As Core: categories before the last -debug=0 (or none) are disregarded;
    // an unknown category stops start-up.
    std::vector<std::string> cats = args.GetArgs("-debug");
    for (size_t i = cats.size(); i-- > 0;) {
        if (cats[i] == "0" || cats[i] == "none") {
            cats.erase(cats.begin(), cats.begin() + i + 1);
            break;
        }
    }
    for (const std::string& cat : cats) {
        auto c = LogCategoryFromName(cat);
        if (!c) throw std::runtime_error("Unsupported logging category -debug=" + cat + ".");
        log.Enable(*c);
    }
    for (const std::string& cat : args.GetArgs("-debugexclude")) {
        auto c = LogCategoryFromName(cat);
        if (!c) throw std::runtime_error("Unsupported logging category -debugexclude=" + cat + ".");
        log.Disable(*c);
    }
    // -loglevel is checked as Core checks it; Cairn's log has no levels below the categories yet.
    for (const std::string& level : args.GetArgs("-loglevel")) {
        const auto is_level = [](std::string_view l) { return l == "info" || l == "debug" || l == "trace"; };
        const size_t colon = level.find(':');
        if (colon == std::string::npos) {
            if (!is_level(level)) {
                throw std::runtime_error("Unsupported global logging level -loglevel=" + level +
                                         ". Valid values: info, debug, trace.");
            }
        } else {
            const std::string cat = level.substr(0, colon);
            const auto c = LogCategoryFromName(cat);
            if (!c || *c == LogCategory::ALL || !is_level(level.substr(colon + 1))) {
                throw std::runtime_error("Unsupported category-specific logging level -loglevel=" + level + ".");
            }
        }
    }
    if (!args.IsArgNegated("-debuglogfile")) {
        std::filesystem::path file = args.GetPathArg("-debuglogfile", "debug.log");
        if (file.is_relative()) file = datadir / file;
        log.OpenFile(file);
    }
}

/** Core's check for a bitcoin.conf in the data directory that is not the
 *  configuration file in use (-conf names another, or the file read moved
 *  the datadir): an error unless -allowignoredconf, then a warning to log
 *  (`warning`). Cairn's own cairn.conf beside it is not "another" file: the
 *  datadir's cairn.conf is preferred by design. */
bool CheckIgnoredConfig(const ArgsManager& args, const std::filesystem::path& orig_datadir, std::string& error,
                        std::string& warning)
{
    const std::filesystem::path base = args.GetDataDirBase();
    const std::filesystem::path datadir_conf = base / BITCOIN_CONF_FILENAME;
    std::error_code ec;
    if (!std::filesystem::exists(datadir_conf, ec)) return true;
    const std::filesystem::path used = args.GetConfigFilePath();
    if (used.empty()) {
        warning = "Data directory \"" + base.string() + "\" contains a \"" + std::string(BITCOIN_CONF_FILENAME) +
                  "\" file which is explicitly ignored using -noconf.";
        return true;
    }
    if (std::filesystem::equivalent(used, datadir_conf, ec) || used == base / CAIRN_CONF_FILENAME) return true;
    const std::string cli_conf = args.GetArg("-conf", "");
    const std::string source = cli_conf.empty() ? "data directory \"" + orig_datadir.string() + "\""
                                                : "command line argument \"-conf=" + cli_conf + "\"";
    const std::string message =
        "Data directory \"" + base.string() + "\" contains a \"" + std::string(BITCOIN_CONF_FILENAME) +
        "\" file which is ignored, because a different configuration file \"" + used.string() + "\" from " + source +
        " is being used instead. Possible ways to address this would be to:\n"
        "- Delete or rename the \"" + std::string(BITCOIN_CONF_FILENAME) + "\" file in data directory \"" +
        base.string() + "\".\n"
        "- Change datadir= or conf= options to specify one configuration file, not two, and use includeconf= to "
        "include any other configuration files.\n"
        "- Set allowignoredconf=1 option to treat this condition as a warning, not an error.";
    if (args.GetBoolArg("-allowignoredconf", false)) {
        warning = "Warning: " + message;
        return true;
    }
    error = message;
    return false;
}

} // namespace

int AppMain(int argc, char* argv[])
{
    Logger::Instance().BufferUntilStarted();
    ArgsManager args;
    RegisterNodeOptions(args);
    std::string error;
    if (!args.ParseParameters(argc, argv, error)) {
        std::fprintf(stderr, "Error: Error parsing command line arguments: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    if (args.IsArgSet("-version")) {
        std::printf("Cairn daemon version v%s\n", PACKAGE_VERSION);
        return EXIT_SUCCESS;
    }
    if (args.IsArgSet("-help") || args.IsArgSet("-?") || args.IsArgSet("-h") || args.IsArgSet("-help-debug")) {
        std::printf("Cairn daemon version v%s\n\nUsage:  %s [options]  Start Cairn\n\n%s", PACKAGE_VERSION,
                    PROGRAM, args.GetHelpMessage(args.IsArgSet("-help-debug")).c_str());
        return EXIT_SUCCESS;
    }
    if (auto command = args.GetCommand()) {
        // No commands are registered for the daemon: the first token is the unexpected one.
        const std::string token = !command->command.empty() ? command->command
                                  : !command->args.empty() ? command->args.front() : std::string();
        std::fprintf(stderr, "Error: Command line contains unexpected token '%s', see %s -h for a list of options.\n",
                     token.c_str(), PROGRAM);
        return EXIT_FAILURE;
    }
    if (!args.CheckDataDir(error)) {
        std::fprintf(stderr, "Error: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    // Unknown keys are ignored (and logged) as bitcoind does: the file is shared with the RPC client.
    const std::filesystem::path orig_datadir = args.GetDataDirBase();
    if (!args.ReadConfigFiles(error, /*ignore_invalid_keys=*/true)) {
        std::fprintf(stderr, "Error: Error reading configuration file: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    const std::optional<ChainType> chain = args.GetChainType(error);
    if (!chain) {
        std::fprintf(stderr, "Error: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    args.SelectConfigNetwork(std::string(ChainTypeToString(*chain)));
    std::string ignored_conf_warning;
    if (!CheckIgnoredConfig(args, orig_datadir, error, ignored_conf_warning)) {
        std::fprintf(stderr, "Error: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    for (const std::string& arg : args.GetUnsuitableSectionOnlyArgs()) {
        std::fprintf(stderr, "Error: %s\n",
                     ArgsManager::UnsuitableSectionOnlyMessage(arg, std::string(ChainTypeToString(*chain))).c_str());
        return EXIT_FAILURE;
    }

    const std::filesystem::path datadir = args.GetDataDirNet();
    std::error_code ec;
    std::filesystem::create_directories(datadir / "wallets", ec);
    if (ec) {
        std::fprintf(stderr, "Error: Cannot create data directory %s: %s\n", datadir.c_str(), ec.message().c_str());
        return EXIT_FAILURE;
    }
    // settings.json: read (a damaged file stops start-up, as in Core), then written back.
    if (args.GetSettingsPath()) {
        if (!args.ReadSettingsFile(&error)) {
            std::fprintf(stderr, "Error: Failed loading settings file:\n- %s\n", error.c_str());
            return EXIT_FAILURE;
        }
        if (!args.WriteSettingsFile(&error)) {
            std::fprintf(stderr, "Error: Failed saving settings file:\n- %s\n", error.c_str());
            return EXIT_FAILURE;
        }
    }
    DatadirLock lock;
    if (!lock.Acquire(datadir, error)) {
        std::fprintf(stderr, "Error: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    const bool daemon = args.GetBoolArg("-daemon", false);
    if (daemon && !Daemonize(error)) return InitError(error);
    try {
        SetupLogging(args, datadir, daemon);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "Error: %s\n", e.what());
        return EXIT_FAILURE;
    }
    Logger::Instance().StartLogging();
    InstallShutdownSignalHandlers();
    LogInfo("Cairn version v{}", PACKAGE_VERSION);
    LogInfo("Using the '{}' SHA256 implementation", Sha256AutoDetect());
    LogInfo("Using data directory {}", datadir.string());
    if (!ignored_conf_warning.empty()) LogInfo("{}", ignored_conf_warning);
    args.LogArgs();
    // Core's InitWarning for a [section] that names no network: logged and printed, start-up goes on.
    for (const ConfigSectionInfo& section : args.GetUnrecognizedSections()) {
        const std::string warning =
            section.file + ":" + std::to_string(section.line) + " Section [" + section.name + "] is not recognized.";
        LogWarning("{}", warning);
        std::fprintf(stderr, "Warning: %s\n", warning.c_str());
    }
    // Core's warnings for options that are going away or no longer do anything (log only).
    if (args.IsArgSet("-datacarriersize") || args.IsArgSet("-datacarrier")) {
        LogWarning("Options '-datacarrier' or '-datacarriersize' are set but are marked as deprecated. They will be "
                   "removed in a future version.");
    }
    if (args.IsArgSet("-maxorphantx")) {
        LogWarning("Option '-maxorphantx' is set but no longer has any effect (see release notes). Please remove it "
                   "from your configuration.");
    }

    std::filesystem::path pid_file = args.GetPathArg("-pid", DEFAULT_PID_FILENAME);
    if (pid_file.is_relative()) pid_file = datadir / pid_file;
    if (!args.IsArgNegated("-pid")) {
        std::ofstream f(pid_file);
        if (!f) return InitError("Unable to create the PID file '" + pid_file.string() + "'");
        f << getpid() << "\n";
    }

    if (args.GetIntArg("-prune", 0) != 0) {
        if (args.GetBoolArg("-txindex", false)) return InitError("Prune mode is incompatible with -txindex.");
        if (args.GetBoolArg("-reindex-chainstate", false)) {
            return InitError("Prune mode is incompatible with -reindex-chainstate. Use full -reindex instead.");
        }
    }

    // -blockmaxweight, -blockreservedweight, -blockmintxfee: refused at start-up, as in Core.
    if (!CheckMiningArgs(args, error)) return InitError(error);

    if (const int64_t mock = args.GetIntArg("-mocktime", 0)) SetMockTime(mock);

    ChainParamsOptions chain_opts;
    if (!ApplyArgsToChainParamsOptions(args, *chain, chain_opts, error)) return InitError(error);
    std::unique_ptr<const ChainParams> params;
    try {
        params = CreateChainParams(*chain, chain_opts);
    } catch (const std::exception& e) {
        return InitError(e.what());
    }

    NodeNotifications notifications(args.GetArg("-blocknotify", ""));
    ChainstateOptions cs_opts;
    cs_opts.datadir = datadir;
    cs_opts.params = params.get();
    cs_opts.notifications = &notifications;
    if (!ApplyArgsToChainstateOptions(args, cs_opts, error)) return InitError(error);
    cs_opts.fast_prune = args.GetBoolArg("-fastprune", false);
    cs_opts.interrupt = [] { return ShutdownRequested(); };
    notifications.SetStopAtHeight(cs_opts.stop_at_height);
    LogInfo("Script verification uses {} additional threads", cs_opts.script_threads);

    std::unique_ptr<ChainstateManager> chainman;
    try {
        chainman = std::make_unique<ChainstateManager>(cs_opts);
    } catch (const std::exception& e) {
        return InitError(std::string("Error opening block database: ") + e.what());
    }
    // Fee estimation: fee_estimates.dat is read now, written hourly and at shutdown.
    NodeFeeEstimation fee_estimation;
    if (!fee_estimation.Start(args, *chain, datadir, error)) return InitError(error);
    // The pool checks against the chain's tip and feeds the fee estimator.
    NodeMempool mempool;
    if (!SetupMempool(args, *params, *chainman, fee_estimation.Get(), datadir, mempool, error)) return InitError(error);

    // Built now so RPC can reach it; started once the chain is loaded.
    NodeP2P p2p;
    if (!SetupP2P(args, *params, *chainman, cs_opts.minimum_chain_work, p2p, error)) return InitError(error);
    SetP2PMempool(p2p, mempool.pool.get()); // transaction relay in and out of the pool

    // RPC comes up before the (possibly long) load and answers -28 until it is done.
    RpcTable rpc_table;
    NodeRpc rpc;
    rpc_table.SetShutdownRequest([] { RequestShutdown(); });
    rpc_table.SetLogPath((datadir / "debug.log").string());
    RpcContext rpc_ctx;
    rpc_ctx.chainman = chainman.get();
    rpc_ctx.args = &args;
    rpc_ctx.tip_watch = &notifications.Tip();
    rpc_ctx.fee_estimator = fee_estimation.Get();
    rpc_ctx.mempool = mempool.pool.get();
    LendP2PToRpc(p2p, rpc_ctx);
    rpc_ctx.chain = *chain;
    rpc_ctx.datadir = datadir;
    rpc_ctx.request_shutdown = [] { RequestShutdown(); };
    rpc_ctx.shutdown_requested = [] { return ShutdownRequested(); };
    RegisterAllRpcCommands(rpc_table, rpc_ctx);
    // Core's InitMessage: each start-up step is logged and becomes the text of the -28 (warming up) answer.
    auto init_message = [&rpc_table](const std::string& text) {
        LogInfo("init message: {}", text);
        rpc_table.SetRpcWarmupStatus(text);
    };
    if (args.GetBoolArg("-server", true)) {
        rpc_table.SetRpcWarmupStatus("Loading block index…");
        if (!rpc.Start(args, *chain, datadir, rpc_table, error)) return InitError(error);
    }
    init_message("Loading block index…");
    // Whatever happens from here on, the RPC server stops before the engine goes away.
    struct StopRpc {
        NodeRpc& rpc;
        RpcTable& table;
        ~StopRpc() { rpc.Stop(table); }
    } stop_rpc{rpc, rpc_table};

    try {
        if (!chainman->Load(error)) return InitError(error);
    } catch (const std::exception& e) {
        return InitError(std::string("Error loading block database: ") + e.what());
    }
    // -checkblocks/-checklevel: a quick look at the last blocks, as Core does at every start.
    if (!chainman->IsReindexing() && !cs_opts.reindex_chainstate && chainman->Height() > 0) {
        // Core refuses a tip more than two hours ahead of our clock: the clock is wrong, or the database.
        const BlockIndex* tip = chainman->Tip();
        if (tip && tip->GetBlockTime() > GetTime() + MAX_FUTURE_BLOCK_TIME) {
            return InitError("The block database contains a block which appears to be from the future. This may be "
                             "due to your computer's date and time being set incorrectly. Only rebuild the block "
                             "database if you are sure that your computer's date and time are correct.\nPlease "
                             "restart with -reindex or -reindex-chainstate to recover.");
        }
        init_message("Verifying blocks…");
        const int level = int(std::clamp<int64_t>(args.GetIntArg("-checklevel", 3), 0, 4));
        const int depth = int(args.GetIntArg("-checkblocks", 6));
        const VerifyDBResult result = chainman->VerifyDBDetailed(level, depth < 0 ? 0 : depth,
                                                                 [] { return ShutdownRequested(); });
        if (result == VerifyDBResult::CORRUPTED_BLOCK_DB) {
            return InitError("Corrupted block database detected.\n\nPlease restart with -reindex or "
                             "-reindex-chainstate to recover.");
        }
    }
    notifications.Tip().Update(chainman->TipHash(), chainman->Height());
    // Imports run beside everything else, as in Bitcoin Core's loadblk thread;
    // peers get no block requests from us, nor are theirs taken, until it ends.
    std::vector<std::filesystem::path> load_files;
    for (const std::string& f : args.GetArgs("-loadblock")) load_files.emplace_back(f);
    const bool import = chainman->IsReindexing() || cs_opts.reindex_chainstate || !load_files.empty();
    chainman->SetLoadingBlocks(import);
    init_message("Starting network threads…");
    if (!StartP2P(p2p, notifications, error)) return InitError(error);

    std::thread importer;
    if (import) {
        importer = std::thread([&] {
            chainman->ImportBlocks(load_files, [] { return ShutdownRequested(); });
            if (cs_opts.stop_at_height && chainman->Height() >= cs_opts.stop_at_height) RequestShutdown();
            if (args.GetBoolArg("-stopafterblockimport", false)) {
                LogInfo("Stopping after block import");
                RequestShutdown();
            }
        });
    }

    // mempool.dat is read once the import is done (Core's loadblk thread).
    StartMempoolLoad(mempool, importer, [] { return ShutdownRequested(); });

    // As Core: the warm-up ends first, so "Done loading" is never a -28 answer.
    rpc_table.SetRpcWarmupFinished();
    init_message("Done loading");
    RunCommandSync(args.GetArg("-startupnotify", ""));

    if (cs_opts.stop_at_height && chainman->Height() >= cs_opts.stop_at_height) RequestShutdown();
    WaitForShutdown();
    LogInfo("Shutdown: In progress...");
    p2p.Stop(); // the network first: nothing new arrives while the rest stops
    notifications.Tip().Interrupt(); // wakes RPC calls waiting for a block
    rpc.Stop(rpc_table);
    if (importer.joinable()) importer.join();
    StopMempool(mempool); // writes mempool.dat (-persistmempool)
    fee_estimation.Stop(); // records the txs still waiting as unconfirmed, writes fee_estimates.dat
    chainman.reset(); // flushes the chainstate
    RunCommandSync(args.GetArg("-shutdownnotify", ""));
    if (!args.IsArgNegated("-pid")) std::filesystem::remove(pid_file, ec);
    LogInfo("Shutdown: done");
    Logger::Instance().CloseFile();
    return notifications.HadFatalError() ? EXIT_FAILURE : EXIT_SUCCESS;
}

} // namespace cairn
