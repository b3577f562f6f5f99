// Command-line, config-file and settings.json arguments: every syntax,
// negation, precedence between sources and config sections, chain selection,
// includeconf with real files, Core's error texts, atoi-like integer and bool
// parsing, and the -help layout.
#include "util/args.h"
#include "util/log.h"
#include "test/util/tmpdir.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace cairn;
namespace fs = std::filesystem;

namespace {

constexpr unsigned ANY = ArgsManager::ALLOW_ANY;

/** A small registry covering every flag. */
void Register(ArgsManager& am)
{
    am.AddArg("-a", "option a", ANY, OptionCategory::OPTIONS);
    am.AddArg("-b=<n>", "option b", ANY, OptionCategory::OPTIONS);
    am.AddArg("-c=<x>", "option c", ANY, OptionCategory::OPTIONS);
    am.AddArg("-list=<v>", "a list option", ANY, OptionCategory::OPTIONS);
    am.AddArg("-datadir=<dir>", "datadir", ANY | ArgsManager::DISALLOW_NEGATION, OptionCategory::OPTIONS);
    am.AddArg("-conf=<file>", "conf", ANY, OptionCategory::OPTIONS);
    am.AddArg("-includeconf=<file>", "includeconf", ANY, OptionCategory::OPTIONS);
    am.AddArg("-settings=<file>", "settings", ANY, OptionCategory::OPTIONS);
    am.AddArg("-blocksdir=<dir>", "blocksdir", ANY, OptionCategory::OPTIONS);
    am.AddArg("-reindex", "reindex", ANY, OptionCategory::OPTIONS);
    am.AddArg("-proxy=<ip>", "proxy", ANY | ArgsManager::DISALLOW_ELISION, OptionCategory::CONNECTION);
    am.AddArg("-port=<port>", "port", ANY | ArgsManager::NETWORK_ONLY, OptionCategory::CONNECTION);
    am.AddArg("-addnode=<ip>", "addnode", ANY | ArgsManager::NETWORK_ONLY, OptionCategory::CONNECTION);
    am.AddArg("-rpcport=<port>", "rpcport", ANY | ArgsManager::NETWORK_ONLY, OptionCategory::RPC);
    am.AddArg("-rpcpassword=<pw>", "rpcpassword", ANY | ArgsManager::SENSITIVE, OptionCategory::RPC);
    am.AddArg("-rpcuser=<user>", "rpcuser", ANY | ArgsManager::SENSITIVE, OptionCategory::RPC);
    am.AddArg("-dbg", "a debug-only option", ANY | ArgsManager::DEBUG_ONLY, OptionCategory::DEBUG_TEST);
    am.AddArg("-loglevel=<level>", "loglevel",
              ArgsManager::DISALLOW_NEGATION | ArgsManager::DISALLOW_ELISION | ArgsManager::DEBUG_ONLY,
              OptionCategory::DEBUG_TEST);
    am.AddArg("-upnp", "an option Core has and Cairn does not implement", ANY | ArgsManager::NOT_IMPLEMENTED,
              OptionCategory::CONNECTION);
    am.AddArg("-walletdbg", "wallet debug", ANY | ArgsManager::DEBUG_ONLY, OptionCategory::WALLET_DEBUG_TEST);
    am.AddArg("-chain=<chain>", "chain", ANY, OptionCategory::CHAINPARAMS);
    am.AddArg("-regtest", "regtest", ANY | ArgsManager::DEBUG_ONLY, OptionCategory::CHAINPARAMS);
    am.AddArg("-testnet", "testnet", ANY, OptionCategory::CHAINPARAMS);
    am.AddArg("-testnet4", "testnet4", ANY, OptionCategory::CHAINPARAMS);
    am.AddArg("-signet", "signet", ANY, OptionCategory::CHAINPARAMS);
    am.AddHiddenArgs({"-h", "-?", "-secret"});
    am.AddArg("-help", "help", ANY, OptionCategory::OPTIONS);
    am.AddArg("-help-debug", "help-debug", ANY, OptionCategory::DEBUG_TEST);
}

bool Parse(ArgsManager& am, const std::vector<std::string>& args, std::string& error)
{
    std::vector<const char*> argv{"cairnd"};
    for (const auto& a : args) argv.push_back(a.c_str());
    return am.ParseParameters(static_cast<int>(argv.size()), argv.data(), error);
}

void ParseOk(ArgsManager& am, const std::vector<std::string>& args)
{
    std::string error;
    BOOST_REQUIRE_MESSAGE(Parse(am, args, error), error);
}

std::string ParseError(ArgsManager& am, const std::vector<std::string>& args)
{
    std::string error;
    BOOST_CHECK(!Parse(am, args, error));
    return error;
}

void ConfigOk(ArgsManager& am, const std::string& text)
{
    std::string error;
    BOOST_REQUIRE_MESSAGE(am.ReadConfigString(text, error), error);
}

std::string ConfigError(ArgsManager& am, const std::string& text, bool ignore_invalid_keys = false)
{
    std::string error;
    BOOST_CHECK(!am.ReadConfigString(text, error, ignore_invalid_keys));
    return error;
}

void WriteFile(const fs::path& path, const std::string& text)
{
    std::ofstream f(path);
    f << text;
}

std::string ReadFile(const fs::path& path)
{
    std::ifstream f(path);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

bool Contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

using Strings = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(args_tests)

BOOST_AUTO_TEST_CASE(parse_forms)
{
    ArgsManager am;
    Register(am);
    ParseOk(am, {"-a", "-b=", "-c=x=y", "--list=1", "-list=2", "--rpcport=5"});
    BOOST_CHECK(am.IsArgSet("-a"));
    BOOST_CHECK_EQUAL(am.GetArg("-a", "d"), "");            // -a alone is ""
    BOOST_CHECK(am.GetBoolArg("-a", false));                 // ... which is true
    BOOST_CHECK_EQUAL(am.GetArg("-b", "d"), "");
    BOOST_CHECK_EQUAL(am.GetArg("-c", "d"), "x=y");          // split at the first '='
    BOOST_CHECK(am.GetArgs("-list") == (Strings{"1", "2"})); // repeats accumulate
    BOOST_CHECK_EQUAL(am.GetArg("-list", ""), "2");          // last wins on the command line
    BOOST_CHECK_EQUAL(am.GetIntArg("-rpcport", 0), 5);
    BOOST_CHECK(!am.IsArgSet("-port"));
    BOOST_CHECK(!am.GetArg("-port").has_value());
    BOOST_CHECK_EQUAL(am.GetArg("-port", "dflt"), "dflt");
    BOOST_CHECK_EQUAL(am.GetIntArg("-port", 77), 77);
    BOOST_CHECK(am.GetBoolArg("-port", true));
    BOOST_CHECK(am.GetArgs("-port").empty());

    // A new parse replaces the old values.
    ParseOk(am, {"-b=3"});
    BOOST_CHECK(!am.IsArgSet("-a"));
    BOOST_CHECK_EQUAL(am.GetIntArg("-b", 0), 3);
}

BOOST_AUTO_TEST_CASE(parse_negation)
{
    ArgsManager am;
    Register(am);
    ParseOk(am, {"-noa", "-nob=0", "-noc=1", "-list=x", "-nolist", "-list=y"});
    BOOST_CHECK(am.IsArgSet("-a"));
    BOOST_CHECK(am.IsArgNegated("-a"));
    BOOST_CHECK(!am.GetBoolArg("-a", true));
    BOOST_CHECK_EQUAL(am.GetArg("-a", "d"), "0");
    BOOST_CHECK_EQUAL(am.GetIntArg("-a", 9), 0);
    // -nob=0 is a double negative: true.
    BOOST_CHECK(!am.IsArgNegated("-b"));
    BOOST_CHECK(am.GetBoolArg("-b", false));
    BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "1");
    BOOST_CHECK(am.IsArgNegated("-c"));
    // A negation drops earlier values of a list.
    BOOST_CHECK(am.GetArgs("-list") == Strings{"y"});

    ParseOk(am, {"-list=x", "-nolist"});
    BOOST_CHECK(am.GetArgs("-list").empty());
    BOOST_CHECK(am.IsArgNegated("-list"));
    // -noX=<non-number> is also a double negative (atoi gives 0).
    ParseOk(am, {"-noa=abc"});
    BOOST_CHECK(am.GetBoolArg("-a", false));
}

BOOST_AUTO_TEST_CASE(parse_errors)
{
    ArgsManager am;
    Register(am);
    BOOST_CHECK_EQUAL(ParseError(am, {"-foo"}), "Invalid parameter -foo");
    BOOST_CHECK_EQUAL(ParseError(am, {"-a", "--foo=bar"}), "Invalid parameter --foo=bar");
    BOOST_CHECK_EQUAL(ParseError(am, {"-nofoo"}), "Invalid parameter -nofoo");
    // Sections are for the config file only, as in Core.
    BOOST_CHECK_EQUAL(ParseError(am, {"-regtest.rpcport=1"}), "Invalid parameter -regtest.rpcport=1");
    BOOST_CHECK_EQUAL(ParseError(am, {"-nodatadir"}), "Negating of -datadir is meaningless and therefore forbidden");
    BOOST_CHECK_EQUAL(ParseError(am, {"-proxy"}),
                      "Can not set -proxy with no value. Please specify value with -proxy=value.");
    BOOST_CHECK_EQUAL(ParseError(am, {"-loglevel"}),
                      "Can not set -loglevel with no value. Please specify value with -loglevel=value.");
    BOOST_CHECK_EQUAL(ParseError(am, {"-includeconf=extra.conf"}),
                      "-includeconf cannot be used from commandline; -includeconf=\"extra.conf\"");
    ParseOk(am, {"-proxy=", "-loglevel=debug", "-noincludeconf", "-noproxy"});
    BOOST_CHECK(am.IsArgNegated("-includeconf"));
    BOOST_CHECK(am.IsArgNegated("-proxy"));
    // Hidden options are accepted.
    ParseOk(am, {"-h", "-?", "-secret=1"});
    BOOST_CHECK(am.HelpRequested());
}

BOOST_AUTO_TEST_CASE(parse_positional)
{
    ArgsManager am;
    Register(am);
    ParseOk(am, {"-a", "getinfo", "-b=1", "x"});
    BOOST_CHECK(am.IsArgSet("-a"));
    BOOST_CHECK(!am.IsArgSet("-b")); // after the first positional argument, nothing is an option
    auto cmd = am.GetCommand();
    BOOST_REQUIRE(cmd);
    BOOST_CHECK_EQUAL(cmd->command, "");
    BOOST_CHECK(cmd->args == (Strings{"getinfo", "-b=1", "x"}));

    ParseOk(am, {"-a", "-", "-b"}); // a lone "-" ends parsing
    BOOST_CHECK(!am.IsArgSet("-b"));
    BOOST_CHECK(!am.GetCommand());

    // With registered commands, the first positional argument must be one.
    ArgsManager cli;
    cli.AddArg("-rpcport=<port>", "", ANY, OptionCategory::OPTIONS);
    cli.AddCommand("generate", "mine blocks");
    std::string error;
    BOOST_CHECK(!Parse(cli, {"nosuch"}, error));
    BOOST_CHECK_EQUAL(error, "Invalid command 'nosuch'");
    ParseOk(cli, {"-rpcport=1", "generate", "5"});
    cmd = cli.GetCommand();
    BOOST_REQUIRE(cmd);
    BOOST_CHECK_EQUAL(cmd->command, "generate");
    BOOST_CHECK(cmd->args == Strings{"5"});
}

BOOST_AUTO_TEST_CASE(int_and_bool_parsing)
{
    BOOST_CHECK_EQUAL(InterpretInt("450"), 450);
    BOOST_CHECK_EQUAL(InterpretInt("450MB"), 450); // trailing junk ignored, as in Core
    BOOST_CHECK_EQUAL(InterpretInt(" \t12 \n"), 12);
    BOOST_CHECK_EQUAL(InterpretInt("+5"), 5);
    BOOST_CHECK_EQUAL(InterpretInt("+-5"), 0);
    BOOST_CHECK_EQUAL(InterpretInt("-5"), -5);
    BOOST_CHECK_EQUAL(InterpretInt("--5"), 0);
    BOOST_CHECK_EQUAL(InterpretInt("abc"), 0);
    BOOST_CHECK_EQUAL(InterpretInt("0x10"), 0);
    BOOST_CHECK_EQUAL(InterpretInt("1e3"), 1);
    BOOST_CHECK_EQUAL(InterpretInt("1.9"), 1);
    BOOST_CHECK_EQUAL(InterpretInt(""), 0);
    BOOST_CHECK_EQUAL(InterpretInt("-"), 0);
    BOOST_CHECK_EQUAL(InterpretInt("007"), 7);
    BOOST_CHECK_EQUAL(InterpretInt("9223372036854775807"), std::numeric_limits<int64_t>::max());
    BOOST_CHECK_EQUAL(InterpretInt("-9223372036854775808"), std::numeric_limits<int64_t>::min());
    BOOST_CHECK_EQUAL(InterpretInt("9223372036854775808"), std::numeric_limits<int64_t>::max());
    BOOST_CHECK_EQUAL(InterpretInt("99999999999999999999"), std::numeric_limits<int64_t>::max());
    BOOST_CHECK_EQUAL(InterpretInt("-99999999999999999999"), std::numeric_limits<int64_t>::min());

    BOOST_CHECK(InterpretBool(""));
    BOOST_CHECK(InterpretBool("1"));
    BOOST_CHECK(InterpretBool("2"));
    BOOST_CHECK(InterpretBool(" 1"));
    BOOST_CHECK(InterpretBool("1x"));
    BOOST_CHECK(InterpretBool("-1"));
    BOOST_CHECK(!InterpretBool("0"));
    BOOST_CHECK(!InterpretBool("00"));
    BOOST_CHECK(!InterpretBool("true")); // Core's well-known quirk
    BOOST_CHECK(!InterpretBool("yes"));
    BOOST_CHECK(!InterpretBool("abc"));

    ArgsManager am;
    Register(am);
    ParseOk(am, {"-b=450MB", "-c=true", "-a"});
    BOOST_CHECK_EQUAL(am.GetIntArg("-b", 0), 450);
    BOOST_CHECK(!am.GetBoolArg("-c", true));
    BOOST_CHECK_EQUAL(am.GetIntArg("-a", 7), 0); // "" reads as 0
    BOOST_CHECK(am.GetBoolArg("-a", false));    // ... and as true
    BOOST_CHECK(!am.GetIntArg("-list"));
    BOOST_CHECK(!am.GetBoolArg("-list"));
}

BOOST_AUTO_TEST_CASE(config_syntax)
{
    ArgsManager am;
    Register(am);
    ConfigOk(am, "# comment\n"
                 "test.port=1\n"
                 "  a = 1  # trailing comment\n"
                 "\tb=\t2\r\n"
                 "c=\n"
                 "\n"
                 "list=x\n"
                 "list=y\n"
                 "nodbg=1\n"
                 "[regtest]\n"
                 "rpcport=18000\n"
                 "[main]\n"
                 "rpcport=9000\n");
    BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "1");
    BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "2");
    BOOST_CHECK(am.IsArgSet("-c"));
    BOOST_CHECK_EQUAL(am.GetArg("-c", "d"), "");
    BOOST_CHECK(am.GetArgs("-list") == (Strings{"x", "y"}));
    BOOST_CHECK(am.IsArgNegated("-dbg"));
    // No network selected yet: NETWORK_ONLY options ignore the sections and the top level.
    BOOST_CHECK(!am.IsArgSet("-rpcport"));
    am.SelectConfigNetwork("regtest");
    BOOST_CHECK_EQUAL(am.GetArg("-rpcport", ""), "18000");
    am.SelectConfigNetwork("main");
    BOOST_CHECK_EQUAL(am.GetArg("-rpcport", ""), "9000");
    am.SelectConfigNetwork("test");
    BOOST_CHECK(!am.IsArgSet("-rpcport"));
    BOOST_CHECK_EQUAL(am.GetArg("-port", ""), "1"); // "test.port=" at the top level is the [test] section
}

BOOST_AUTO_TEST_CASE(config_first_value_wins)
{
    ArgsManager am;
    Register(am);
    ConfigOk(am, "a=first\na=second\nb=1\nnob=1\nb=3\nb=4\n");
    BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "first");
    BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "3"); // first value after the last negation
    ConfigOk(am, "a=1\nnoa=1\n");
    BOOST_CHECK(am.IsArgNegated("-a"));
    ConfigOk(am, "noa=0\n"); // double negative
    BOOST_CHECK(am.GetBoolArg("-a", false));
    ConfigOk(am, "noa=\n"); // "" reads as true, so this is a negation
    BOOST_CHECK(am.IsArgNegated("-a"));
}

BOOST_AUTO_TEST_CASE(config_errors)
{
    ArgsManager am;
    Register(am);
    BOOST_CHECK_EQUAL(ConfigError(am, "a=1\n-b=2\n"),
                      "parse error on line 2: -b=2, options in configuration file must be specified without leading -");
    BOOST_CHECK_EQUAL(ConfigError(am, "\n\n# c\nfoo\n"), "parse error on line 4: foo");
    BOOST_CHECK_EQUAL(ConfigError(am, "nofoo\n"),
                      "parse error on line 1: nofoo, if you intended to specify a negated option, use nofoo=1 instead");
    BOOST_CHECK_EQUAL(ConfigError(am, "a=1\nrpcpassword=abc#def\n"),
                      "parse error on line 2, using # in rpcpassword can be ambiguous and should be avoided");
    BOOST_CHECK_EQUAL(ConfigError(am, "[regtest]\nrpcpassword=x # comment\n"),
                      "parse error on line 2, using # in rpcpassword can be ambiguous and should be avoided");
    BOOST_CHECK_EQUAL(ConfigError(am, "foo=1\n"), "Invalid configuration value foo");
    BOOST_CHECK_EQUAL(ConfigError(am, "[regtest]\nfoo=1\n"), "Invalid configuration value regtest.foo");
    BOOST_CHECK_EQUAL(ConfigError(am, "conf=x.conf\n"),
                      "conf cannot be set in the configuration file; use includeconf= if you want to include "
                      "additional config files");
    BOOST_CHECK_EQUAL(ConfigError(am, "nodatadir=1\n"), "Negating of -datadir is meaningless and therefore forbidden");
    // A syntax error anywhere is reported before unknown keys.
    BOOST_CHECK_EQUAL(ConfigError(am, "foo=1\nbar\n"), "parse error on line 2: bar");

    // bitcoind reads its config file ignoring unknown keys (cli options share it).
    std::string error;
    BOOST_CHECK(am.ReadConfigString("foo=1\na=2\nrpcconnect=1.2.3.4\n", error, /*ignore_invalid_keys=*/true));
    BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "2");
    // Syntax errors are still errors.
    BOOST_CHECK(!am.ReadConfigString("foo\n", error, true));
}

BOOST_AUTO_TEST_CASE(precedence)
{
    ArgsManager am;
    Register(am);
    ConfigOk(am, "a=top\nb=top\nc=top\nlist=t1\n[regtest]\na=net\nb=net\nlist=n1\n");
    am.SelectConfigNetwork("regtest");
    ParseOk(am, {"-a=cli1", "-a=cli2"});
    BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "cli2"); // command line > network section
    BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "net");  // network section > top level
    BOOST_CHECK_EQUAL(am.GetArg("-c", ""), "top");
    // Lists: command line, then network section, then top level.
    ParseOk(am, {"-list=c1"});
    BOOST_CHECK(am.GetArgs("-list") == (Strings{"c1", "n1", "t1"}));
    // A negation on the command line drops the config values...
    ParseOk(am, {"-nolist"});
    BOOST_CHECK(am.GetArgs("-list").empty());
    // ... unless values follow it, which brings them back (Core's rule).
    ParseOk(am, {"-nolist", "-list=c2"});
    BOOST_CHECK(am.GetArgs("-list") == (Strings{"c2", "n1", "t1"}));
    // A negation in the network section hides the top level.
    ConfigOk(am, "list=t1\n[regtest]\nnolist=1\n");
    ParseOk(am, {});
    BOOST_CHECK(am.GetArgs("-list").empty());

    // Forced > command line; SoftSet only when unset.
    ConfigOk(am, "a=top\n");
    ParseOk(am, {"-b=cli"});
    BOOST_CHECK(!am.SoftSetArg("-b", "soft"));
    BOOST_CHECK(!am.SoftSetArg("-a", "soft"));
    BOOST_CHECK(am.SoftSetArg("-c", "soft"));
    BOOST_CHECK_EQUAL(am.GetArg("-c", ""), "soft");
    BOOST_CHECK(am.SoftSetBoolArg("-dbg", false));
    BOOST_CHECK(!am.GetBoolArg("-dbg", true));
    am.ForceSetArg("-b", "forced");
    BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "forced");
    am.ForceSetArg("-list", "f");
    BOOST_CHECK(am.GetArgs("-list") == Strings{"f"}); // forced ends the command-line values
    am.ClearForcedArg("-b");
    BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "cli");
}

BOOST_AUTO_TEST_CASE(network_only_options)
{
    ArgsManager am;
    Register(am);
    ConfigOk(am, "rpcport=1\nport=2\naddnode=a\na=x\n[regtest]\nport=3\n");
    am.SelectConfigNetwork("main");
    BOOST_CHECK_EQUAL(am.GetArg("-rpcport", ""), "1");
    BOOST_CHECK(am.GetArgs("-addnode") == Strings{"a"});
    BOOST_CHECK(am.GetUnsuitableSectionOnlyArgs().empty());

    am.SelectConfigNetwork("regtest");
    BOOST_CHECK(!am.IsArgSet("-rpcport")); // top level ignored off mainnet
    BOOST_CHECK(am.GetArgs("-addnode").empty());
    BOOST_CHECK_EQUAL(am.GetArg("-port", ""), "3");
    BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "x"); // normal options still use the top level
    BOOST_CHECK(am.GetUnsuitableSectionOnlyArgs() == (std::set<std::string>{"-addnode", "-rpcport"}));
    BOOST_CHECK_EQUAL(ArgsManager::UnsuitableSectionOnlyMessage("-rpcport", "regtest"),
                      "Config setting for -rpcport only applied on regtest network when in [regtest] section.");
    // Given on the command line, it is not unsuitable any more.
    ParseOk(am, {"-rpcport=5"});
    BOOST_CHECK(am.GetUnsuitableSectionOnlyArgs() == std::set<std::string>{"-addnode"});
    BOOST_CHECK_EQUAL(am.GetArg("-rpcport", ""), "5");

    // A top-level negation still applies to a NETWORK_ONLY option (Core's rule).
    ParseOk(am, {});
    ConfigOk(am, "noport=1\n");
    BOOST_CHECK(am.IsArgNegated("-port"));
}

BOOST_AUTO_TEST_CASE(chain_selection)
{
    std::string error;
    {
        ArgsManager am;
        Register(am);
        BOOST_CHECK(am.GetChainType(error) == ChainType::MAIN);
        ParseOk(am, {"-regtest"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::REGTEST);
        ParseOk(am, {"-testnet"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::TESTNET);
        ParseOk(am, {"-testnet4"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::TESTNET4);
        ParseOk(am, {"-signet=1"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::SIGNET);
        ParseOk(am, {"-chain=regtest"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::REGTEST);
        ParseOk(am, {"-chain=test"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::TESTNET);
        ParseOk(am, {"-regtest=0"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::MAIN);
    }
    const std::string conflict =
        "Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one.";
    for (const auto& args : std::vector<Strings>{{"-regtest", "-testnet"},
                                                 {"-chain=main", "-signet"},
                                                 {"-testnet4", "-testnet"},
                                                 {"-chain=regtest", "-regtest"}}) {
        ArgsManager am;
        Register(am);
        ParseOk(am, args);
        error.clear();
        BOOST_CHECK(!am.GetChainType(error));
        BOOST_CHECK_EQUAL(error, conflict);
    }
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {"-chain=foo"});
        BOOST_CHECK(!am.GetChainType(error));
        BOOST_CHECK_EQUAL(error, "Unknown chain foo.");
    }
    {
        // The config file selects the chain too; for chain options the last value wins.
        ArgsManager am;
        Register(am);
        ConfigOk(am, "regtest=1\n");
        BOOST_CHECK(am.GetChainType(error) == ChainType::REGTEST);
        ConfigOk(am, "regtest=1\nregtest=0\n");
        BOOST_CHECK(am.GetChainType(error) == ChainType::MAIN);
        ConfigOk(am, "testnet=1\n");
        ParseOk(am, {"-regtest"});
        BOOST_CHECK(!am.GetChainType(error));
        // -noregtest on the command line does not override regtest=1 (Core's quirk).
        ConfigOk(am, "regtest=1\n");
        ParseOk(am, {"-noregtest"});
        BOOST_CHECK(am.GetChainType(error) == ChainType::REGTEST);
        ConfigOk(am, "chain=signet\n");
        ParseOk(am, {});
        BOOST_CHECK(am.GetChainType(error) == ChainType::SIGNET);
    }
}

BOOST_AUTO_TEST_CASE(datadir_paths)
{
    test::TempDir dir("cairn_args");
    ArgsManager am;
    Register(am);
    std::string error;
    BOOST_CHECK(am.CheckDataDir(error));
    const char* home = std::getenv("HOME");
    if (home && *home) BOOST_CHECK(ArgsManager::GetDefaultDataDir() == fs::path(home) / ".bitcoin");

    ParseOk(am, {"-datadir=" + dir.path().string() + "/"});
    BOOST_CHECK(am.GetDataDirBase() == dir.path());
    BOOST_CHECK(am.GetDataDirNet() == dir.path()); // main: no subdirectory
    for (auto [chain, sub] : std::vector<std::pair<std::string, std::string>>{
             {"-regtest", "regtest"}, {"-testnet", "testnet3"}, {"-testnet4", "testnet4"}, {"-signet", "signet"}}) {
        ParseOk(am, {"-datadir=" + dir.path().string(), chain});
        BOOST_CHECK(am.GetDataDirNet() == dir.path() / sub);
        BOOST_CHECK(am.GetBlocksDirPath() == dir.path() / sub / "blocks");
    }
    am.SelectConfigNetwork("regtest");
    ParseOk(am, {"-datadir=" + dir.path().string()});
    BOOST_CHECK(am.GetDataDirNet() == dir.path() / "regtest");
    BOOST_CHECK(am.AbsPathForConfigVal("x.log") == dir.path() / "regtest" / "x.log");
    BOOST_CHECK(am.AbsPathForConfigVal("x.log", false) == dir.path() / "x.log");
    BOOST_CHECK(am.AbsPathForConfigVal("/abs/x.log") == fs::path("/abs/x.log"));

    fs::create_directory(dir / "blk");
    ParseOk(am, {"-datadir=" + dir.path().string(), "-blocksdir=" + (dir / "blk").string()});
    BOOST_CHECK(am.GetBlocksDirPath() == dir / "blk" / "regtest" / "blocks");

    const std::string missing = (dir / "nope").string();
    ParseOk(am, {"-datadir=" + missing});
    BOOST_CHECK(am.GetDataDirBase().empty());
    BOOST_CHECK(!am.CheckDataDir(error));
    BOOST_CHECK_EQUAL(error, "Specified data directory \"" + missing + "\" does not exist.");
    BOOST_CHECK(!am.ReadConfigFiles(error));
    BOOST_CHECK_EQUAL(error, "specified data directory \"" + missing + "\" does not exist.");
}

BOOST_AUTO_TEST_CASE(config_files)
{
    test::TempDir dir("cairn_args");
    const std::string datadir = "-datadir=" + dir.path().string();
    std::string error;
    {
        // No config file at all is fine.
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK(am.GetConfigFilePath() == dir / "bitcoin.conf");
    }
    WriteFile(dir / "bitcoin.conf", "a=from-bitcoin\n");
    {
        // bitcoin.conf is read when there is no cairn.conf.
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "from-bitcoin");
    }
    WriteFile(dir / "cairn.conf", "a=from-cairn\n");
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "from-cairn");
        BOOST_CHECK(am.GetConfigFilePath() == dir / "cairn.conf");
        // The command line still wins, and re-reading replaces the old values.
        ParseOk(am, {datadir, "-a=cli", "-conf=bitcoin.conf"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "cli");
        BOOST_CHECK(am.GetConfigFilePath() == dir / "bitcoin.conf");
    }
    {
        // -conf relative to the datadir; a missing explicit -conf is an error.
        ArgsManager am;
        Register(am);
        fs::create_directory(dir / "sub");
        WriteFile(dir / "sub" / "other.conf", "b=7\n");
        ParseOk(am, {datadir, "-conf=sub/other.conf"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK_EQUAL(am.GetIntArg("-b", 0), 7);
        BOOST_CHECK(!am.IsArgSet("-a"));
        ParseOk(am, {datadir, "-conf=" + (dir / "sub" / "other.conf").string()});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK_EQUAL(am.GetIntArg("-b", 0), 7);
        ParseOk(am, {datadir, "-conf=missing.conf"});
        BOOST_CHECK(!am.ReadConfigFiles(error));
        BOOST_CHECK_EQUAL(error, "specified config file \"" + (dir / "missing.conf").string() + "\" could not be opened.");
        ParseOk(am, {datadir, "-conf=sub"});
        BOOST_CHECK(!am.ReadConfigFiles(error));
        BOOST_CHECK_EQUAL(error, "Config file \"" + (dir / "sub").string() + "\" is a directory.");
        // -noconf reads nothing.
        ParseOk(am, {datadir, "-noconf"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK(!am.IsArgSet("-a"));
        BOOST_CHECK(am.GetConfigFilePath().empty());
    }
    {
        // Errors inside the file come back unchanged.
        WriteFile(dir / "bad.conf", "a=1\nbogus\n");
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-conf=bad.conf"});
        BOOST_CHECK(!am.ReadConfigFiles(error));
        BOOST_CHECK_EQUAL(error, "parse error on line 2: bogus");
    }
    {
        // The config file may move the datadir (unless the command line sets
        // it); a missing one is an error.
        WriteFile(dir / "moved.conf", "datadir=" + (dir / "gone").string() + "\n");
        ArgsManager am;
        Register(am);
        ParseOk(am, {"-conf=" + (dir / "moved.conf").string()});
        BOOST_CHECK(!am.ReadConfigFiles(error));
        BOOST_CHECK_EQUAL(error, "specified data directory \"" + (dir / "gone").string() + "\" does not exist.");
    }
}

BOOST_AUTO_TEST_CASE(includeconf)
{
    test::TempDir dir("cairn_args");
    const std::string datadir = "-datadir=" + dir.path().string();
    std::string error;
    WriteFile(dir / "cairn.conf", "a=main\nincludeconf=inc1.conf\nincludeconf=inc2.conf\n"
                                  "[regtest]\nincludeconf=reg.conf\n");
    WriteFile(dir / "inc1.conf", "a=inc1\nb=inc1\nlist=i1\nincludeconf=nested.conf\n");
    WriteFile(dir / "inc2.conf", "c=inc2\nlist=i2\n");
    WriteFile(dir / "reg.conf", "[regtest]\nrpcport=12345\n");
    WriteFile(dir / "nested.conf", "c=nested\n");
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "main"); // the main file came first
        BOOST_CHECK_EQUAL(am.GetArg("-b", ""), "inc1");
        BOOST_CHECK_EQUAL(am.GetArg("-c", ""), "inc2"); // nested.conf not read
        BOOST_CHECK(am.GetArgs("-list") == (Strings{"i1", "i2"}));
        BOOST_CHECK(!am.IsArgSet("-rpcport")); // reg.conf only for regtest
        const auto warnings = am.GetConfigWarnings();
        BOOST_REQUIRE_EQUAL(warnings.size(), 1U);
        BOOST_CHECK_EQUAL(warnings[0],
                          "warning: -includeconf cannot be used from included files; ignoring -includeconf=nested.conf");
    }
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-regtest"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        am.SelectConfigNetwork("regtest");
        BOOST_CHECK_EQUAL(am.GetIntArg("-rpcport", 0), 12345);
    }
    {
        // -noincludeconf on the command line skips every include.
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-noincludeconf"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK(!am.IsArgSet("-b"));
    }
    {
        // A negation in the file drops the includes named before it.
        WriteFile(dir / "neg.conf", "includeconf=inc1.conf\nnoincludeconf=1\nincludeconf=inc2.conf\n");
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-conf=neg.conf"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK(!am.IsArgSet("-b"));
        BOOST_CHECK_EQUAL(am.GetArg("-c", ""), "inc2");
    }
    {
        WriteFile(dir / "missing.conf", "includeconf=nothere.conf\n");
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-conf=missing.conf"});
        BOOST_CHECK(!am.ReadConfigFiles(error));
        BOOST_CHECK_EQUAL(error, "Failed to include configuration file nothere.conf");
    }
    {
        WriteFile(dir / "badinc.conf", "includeconf=bad.conf\n");
        WriteFile(dir / "bad.conf", "zzz=1\n");
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-conf=badinc.conf"});
        BOOST_CHECK(!am.ReadConfigFiles(error));
        BOOST_CHECK_EQUAL(error, "Invalid configuration value zzz");
    }
    {
        // An included file may select the chain; its section's includes are then not followed.
        WriteFile(dir / "chainsel.conf", "includeconf=sel.conf\n[regtest]\nincludeconf=reg.conf\n");
        WriteFile(dir / "sel.conf", "regtest=1\n");
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-conf=chainsel.conf"});
        BOOST_REQUIRE_MESSAGE(am.ReadConfigFiles(error), error);
        BOOST_CHECK(am.GetChainType(error) == ChainType::REGTEST);
        am.SelectConfigNetwork("regtest");
        BOOST_CHECK(!am.IsArgSet("-rpcport"));
        const auto warnings = am.GetConfigWarnings();
        BOOST_REQUIRE_EQUAL(warnings.size(), 1U);
        BOOST_CHECK(Contains(warnings[0], "ignoring -includeconf=reg.conf"));
    }
}

BOOST_AUTO_TEST_CASE(unrecognized_sections)
{
    ArgsManager am;
    Register(am);
    std::string error;
    BOOST_REQUIRE(am.ReadConfigString("foo.a=1\n[main]\na=1\n\n[bar]\nb=1\n[regtest]\nc=1\n", error, false, "x.conf"));
    const auto sections = am.GetUnrecognizedSections();
    BOOST_REQUIRE_EQUAL(sections.size(), 2U);
    BOOST_CHECK_EQUAL(sections.front().name, "foo");
    BOOST_CHECK_EQUAL(sections.front().line, 1);
    BOOST_CHECK_EQUAL(sections.front().file, "x.conf");
    BOOST_CHECK_EQUAL(sections.back().name, "bar");
    BOOST_CHECK_EQUAL(sections.back().line, 5);
}

BOOST_AUTO_TEST_CASE(settings_json)
{
    test::TempDir dir("cairn_args");
    const std::string datadir = "-datadir=" + dir.path().string();
    std::string error;
    fs::path path;
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-regtest"});
        am.SelectConfigNetwork("regtest");
        BOOST_REQUIRE(am.GetSettingsPath(&path));
        BOOST_CHECK(path == dir / "regtest" / "settings.json");
        fs::create_directories(path.parent_path());
        BOOST_CHECK(am.ReadSettingsFile(&error)); // missing file: fine
        am.SetRwSetting("a", SettingValue::String("rw"));
        am.SetRwSetting("-b", SettingValue::Bool(false));
        am.SetRwSetting("list", SettingValue::Array({SettingValue::String("w1"), SettingValue::String("w2")}));
        am.SetRwSetting("c", SettingValue::Number("12"));
        BOOST_REQUIRE_MESSAGE(am.WriteSettingsFile(&error), error);
        const std::string text = ReadFile(path);
        BOOST_CHECK(Contains(text, "\"_warning_\": \"This file is automatically generated and updated by Cairn."));
        BOOST_CHECK(Contains(text, "\"list\": ["));
        BOOST_CHECK(!fs::exists(path.string() + ".tmp"));
    }
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-regtest", "-c=cli"});
        am.SelectConfigNetwork("regtest");
        ConfigOk(am, "a=conf\nlist=conf\n[regtest]\nb=1\n");
        BOOST_REQUIRE_MESSAGE(am.ReadSettingsFile(&error), error);
        BOOST_CHECK(am.GetRwSetting("a") == SettingValue::String("rw"));
        BOOST_CHECK(am.GetRwSetting("_warning_").IsNull());
        BOOST_CHECK_EQUAL(am.GetArg("-a", ""), "rw"); // settings.json > config file
        BOOST_CHECK(am.IsArgNegated("-b"));           // ... even its network section
        BOOST_CHECK_EQUAL(am.GetArg("-c", ""), "cli"); // command line > settings.json
        BOOST_CHECK_EQUAL(am.GetPersistentSetting("c").GetStr(), "12");
        BOOST_CHECK(am.GetArgs("-list") == (Strings{"w1", "w2", "conf"}));
        // Writing again keeps the same structure.
        BOOST_REQUIRE_MESSAGE(am.WriteSettingsFile(&error), error);
        ArgsManager again;
        Register(again);
        ParseOk(again, {datadir, "-regtest"});
        BOOST_REQUIRE_MESSAGE(again.ReadSettingsFile(&error), error);
        BOOST_CHECK(again.GetRwSetting("list") == am.GetRwSetting("list"));
        BOOST_CHECK(again.GetRwSetting("c") == SettingValue::Number("12"));
        BOOST_CHECK(again.GetRwSetting("b") == SettingValue::Bool(false));
        am.SetRwSetting("a", SettingValue{});
        BOOST_CHECK(am.GetRwSetting("a").IsNull());
    }
    {
        ArgsManager am;
        Register(am);
        ParseOk(am, {datadir, "-regtest"});
        WriteFile(path, "{ not json");
        BOOST_CHECK(!am.ReadSettingsFile(&error));
        BOOST_CHECK_EQUAL(error, "Settings file " + path.string() +
                                     " does not contain valid JSON. This may be caused by a crash, power loss, full "
                                     "disk, or storage error, and can be fixed by removing the file, which will reset "
                                     "settings to default values.");
        WriteFile(path, "[1]");
        BOOST_CHECK(!am.ReadSettingsFile(&error));
        BOOST_CHECK_EQUAL(error, "Found non-object value [1] in settings file " + path.string());
        WriteFile(path, "{\"a\": \"1\", \"a\": \"2\"}");
        BOOST_CHECK(!am.ReadSettingsFile(&error));
        BOOST_CHECK_EQUAL(error, "Found duplicate key a in settings file " + path.string());
        // -settings elsewhere; -nosettings disables the file.
        ParseOk(am, {datadir, "-regtest", "-settings=other.json"});
        BOOST_REQUIRE(am.GetSettingsPath(&path));
        BOOST_CHECK(path == dir / "regtest" / "other.json");
        ParseOk(am, {datadir, "-nosettings"});
        BOOST_CHECK(!am.GetSettingsPath());
        BOOST_CHECK(am.ReadSettingsFile(&error));
        BOOST_CHECK_THROW(am.WriteSettingsFile(&error), std::logic_error);
    }
}

BOOST_AUTO_TEST_CASE(not_implemented_and_logging)
{
    test::TempDir dir("cairn_args");
    ArgsManager am;
    Register(am);
    ParseOk(am, {"-upnp", "-rpcpassword=hunter2", "-a=visible"});
    ConfigOk(am, "rpcuser=alice\nb=2\n");
    BOOST_CHECK(am.GetBoolArg("-upnp", false));
    BOOST_CHECK(am.GetUnimplementedArgsSet() == Strings{"-upnp"});

    Logger& logger = Logger::Instance();
    logger.SetQuiet(false);
    logger.OpenFile(dir / "debug.log");
    am.LogArgs();
    am.LogArgs(); // the unimplemented option is logged only once
    logger.CloseFile();
    const std::string log = ReadFile(dir / "debug.log");
    BOOST_CHECK(Contains(log, "Command-line arg: a=\"visible\""));
    BOOST_CHECK(Contains(log, "Command-line arg: rpcpassword=****"));
    BOOST_CHECK(Contains(log, "Config file arg: rpcuser=****"));
    BOOST_CHECK(Contains(log, "Config file arg: b=\"2\""));
    BOOST_CHECK(!Contains(log, "hunter2"));
    BOOST_CHECK(!Contains(log, "alice"));
    const size_t first = log.find("Option -upnp is accepted");
    BOOST_CHECK(first != std::string::npos);
    BOOST_CHECK(log.find("Option -upnp is accepted", first + 1) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(registration)
{
    ArgsManager am;
    Register(am);
    BOOST_CHECK_THROW(am.AddArg("-a", "again", ANY, OptionCategory::RPC), std::logic_error);
    BOOST_CHECK_THROW(am.AddArg("nodash", "", ANY, OptionCategory::RPC), std::logic_error);
    BOOST_CHECK(am.GetArgFlags("-port") == (ANY | ArgsManager::NETWORK_ONLY));
    BOOST_CHECK(!am.GetArgFlags("-nosuch"));
    bool found = false;
    for (const auto& arg : am.GetRegisteredArgs()) {
        if (arg.name == "-b") {
            found = true;
            BOOST_CHECK_EQUAL(arg.help_param, "=<n>");
            BOOST_CHECK(arg.category == OptionCategory::OPTIONS);
        }
    }
    BOOST_CHECK(found);
    am.ClearArgs();
    std::string error;
    BOOST_CHECK(!Parse(am, {"-a"}, error));
}

BOOST_AUTO_TEST_CASE(help_message)
{
    ArgsManager am;
    Register(am);
    am.AddArg("-long=<x>",
              "A long help text that has to be wrapped over more than one line because it does not fit in the "
              "seventy-nine columns of a terminal, however wide the reader's screen may really be.",
              ANY, OptionCategory::OPTIONS);
    const std::string help = am.GetHelpMessage(false);
    // A newline in front so that every header is found as "\n<title>\n\n".
    const std::string debug_help = "\n" + am.GetHelpMessage(true);

    // Every registered, non-hidden option is shown under its category's header.
    for (const auto& arg : am.GetRegisteredArgs()) {
        const std::string line = "\n  " + arg.name + arg.help_param + "\n";
        if (arg.category == OptionCategory::HIDDEN) {
            BOOST_CHECK_MESSAGE(!Contains(debug_help, line), arg.name);
            continue;
        }
        const size_t at = debug_help.find(line);
        BOOST_CHECK_MESSAGE(at != std::string::npos, arg.name);
        const std::string title{OptionCategoryTitle(arg.category)};
        const size_t header = debug_help.rfind("\n" + title + "\n\n", at);
        BOOST_CHECK_MESSAGE(header != std::string::npos, arg.name + " under " + title);
        // ... and no other header in between.
        for (int c = 0; c <= int(OptionCategory::IPC); ++c) {
            const std::string other{OptionCategoryTitle(OptionCategory(c))};
            if (other == title || header == std::string::npos) continue;
            const size_t h = debug_help.rfind("\n" + other + "\n\n", at);
            BOOST_CHECK_MESSAGE(h == std::string::npos || h < header, arg.name + ": " + other);
        }
        const bool debug_only = arg.flags & ArgsManager::DEBUG_ONLY;
        BOOST_CHECK_MESSAGE(Contains(help, line) == !debug_only, arg.name);
    }
    BOOST_CHECK(help.starts_with("Options:\n\n  -a\n       option a\n\n"));
    // NOT_IMPLEMENTED options say so in their help (here wrapped onto a second line).
    BOOST_CHECK(Contains(help, "  -upnp\n       an option Core has and Cairn does not implement (not implemented in\n"
                               "       Cairn yet)\n"));
    BOOST_CHECK(!Contains(help, "Wallet debugging/testing options:"));
    BOOST_CHECK(Contains(debug_help, "Wallet debugging/testing options:\n\n  -walletdbg\n"));
    // Categories come in Core's order.
    BOOST_CHECK(help.find("Connection options:") < help.find("Debugging/Testing options:"));
    BOOST_CHECK(help.find("Debugging/Testing options:") < help.find("Chain selection options:"));
    BOOST_CHECK(help.find("Chain selection options:") < help.find("RPC server options:"));
    // Wrapped at 79 columns with a 7-space indent.
    std::istringstream lines(help);
    std::string line;
    int wrapped = 0;
    while (std::getline(lines, line)) {
        BOOST_CHECK_MESSAGE(line.size() <= 79, line);
        if (line.starts_with("       ") && Contains(line, "seventy") ) ++wrapped;
    }
    BOOST_CHECK(Contains(help, "  -long=<x>\n       A long help text"));
    BOOST_CHECK_EQUAL(wrapped, 1);
}

BOOST_AUTO_TEST_SUITE_END()
