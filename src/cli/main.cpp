#include "cli/main.h"

#include "cli/commands.h"
#include "cli/getinfo.h"
#include "cli/netinfo.h"
#include "cli/options.h"
#include "cli/rpc_client.h"
#include "cli/terminal.h"
#include "config/cairn-config.h"
#include "rpc/protocol.h"
#include "util/args.h"
#include "util/log.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace cairn {

namespace {

constexpr int CONTINUE_EXECUTION = -1;

void PrintUsage(const ArgsManager& args)
{
    std::string usage = std::string("Cairn RPC client version v") + PACKAGE_VERSION + "\n";
    if (args.IsArgSet("-version")) {
        std::fputs(usage.c_str(), stdout);
        return;
    }
    usage +=
        "\n"
        "cairn-cli is the command line interface to the RPC server of a Cairn node (or of any server that speaks "
        "Bitcoin Core's JSON-RPC): it queries the node, manages wallets, creates and broadcasts transactions and "
        "controls the server.\n"
        "\n"
        "The \"help\" command lists every command; \"help <command>\" explains one.\n"
        "With -named, parameters are given as name=value, so unused positional parameters can be left out.\n"
        "\n"
        "Usage: cairn-cli [options] <command> [params]\n"
        "or:    cairn-cli [options] -named <command> [name=value]...\n"
        "or:    cairn-cli [options] help\n"
        "or:    cairn-cli [options] help <command>\n"
        "\n";
    usage += args.GetHelpMessage(/*show_debug=*/false);
    std::fputs(usage.c_str(), stdout);
}

/** Bitcoin Core's AppInitRPC: arguments, help, datadir, config file, chain. */
int AppInitRpc(ArgsManager& args, int argc, char* argv[], ChainType& chain)
{
    RegisterCliOptions(args);
    std::string error;
    if (!args.ParseParameters(argc, argv, error)) {
        std::fprintf(stderr, "Error parsing command line arguments: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    if (argc < 2 || args.HelpRequested() || args.IsArgSet("-version")) {
        PrintUsage(args);
        if (argc < 2) {
            std::fputs("Error: too few parameters\n", stderr);
            return EXIT_FAILURE;
        }
        return EXIT_SUCCESS;
    }
    if (!args.CheckDataDir(error)) {
        std::fprintf(stderr, "Error: Specified data directory \"%s\" does not exist.\n",
                     args.GetArg("-datadir", "").c_str());
        return EXIT_FAILURE;
    }
    // Keys of cairnd's options are ignored: the file is shared with the node.
    if (!args.ReadConfigFiles(error, /*ignore_invalid_keys=*/true)) {
        std::fprintf(stderr, "Error reading configuration file: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    const std::optional<ChainType> selected = args.GetChainType(error);
    if (!selected) {
        std::fprintf(stderr, "Error: %s\n", error.c_str());
        return EXIT_FAILURE;
    }
    chain = *selected;
    args.SelectConfigNetwork(std::string(ChainTypeToString(chain)));
    return CONTINUE_EXECUTION;
}

void ParseResult(const UniValue& result, std::string& out)
{
    if (result.isNull()) return;
    out = result.isStr() ? result.get_str() : result.write(2);
}

void ParseError(const UniValue& error, std::string& out, int& ret)
{
    if (error.isObject()) {
        const UniValue& code = find_value(error, "code");
        const UniValue& message = find_value(error, "message");
        out.clear();
        if (!code.isNull()) out = "error code: " + code.getValStr() + "\n";
        if (message.isStr()) out += "error message:\n" + message.get_str();
        if (code.isNum() && code.get_int() == RPC_WALLET_NOT_SPECIFIED) {
            out += " Or for the CLI, specify the \"-rpcwallet=<walletname>\" option before the command";
            out += " (run \"cairn-cli -h\" for help or \"cairn-cli listwallets\" to see which wallets are currently "
                   "loaded).";
        }
    } else {
        out = "error: " + error.write();
    }
    const UniValue& code = error["code"];
    if (!code.isNum()) throw std::runtime_error("JSON value of type " + std::string(uvTypeName(code.getType())) +
                                                " is not of expected type number");
    ret = std::abs(code.get_int());
}

/** Reads one line of standard input without echo, prompting on a terminal. */
std::string ReadSecretLine(const char* prompt, const char* option)
{
    NoStdinEcho no_echo;
    if (!StdinReady()) {
        std::fputs(prompt, stderr);
        std::fflush(stderr);
    }
    std::string line;
    if (!std::getline(std::cin, line)) {
        throw std::runtime_error(std::string(option) + " specified but failed to read from standard input");
    }
    if (StdinTerminal()) std::fputc('\n', stdout);
    return line;
}

/** Only one of the client-side commands may be given ("Only one of -generate, -getinfo may be specified."). */
void CheckMultipleCliCommands(const ArgsManager& args)
{
    std::string found;
    int count = 0;
    for (const char* name : {"-addrinfo", "-generate", "-getinfo", "-netinfo"}) {
        if (!args.IsArgSet(name)) continue;
        found += (count++ ? ", " : "") + std::string(name);
    }
    if (count > 1) throw std::runtime_error("Only one of " + found + " may be specified.");
}

/** Bitcoin Core's CommandLineRPC. */
int CommandLineRpc(ArgsManager& args, ChainType chain, int argc, char* argv[])
{
    std::string out;
    int ret = 0;
    try {
        // The positional arguments: everything after the leading options.
        int first = 1;
        while (first < argc && argv[first][0] == '-') ++first;
        std::vector<std::string> cmd_args(argv + first, argv + argc);

        if (args.GetBoolArg("-stdinrpcpass", false)) {
            args.ForceSetArg("-rpcpassword", ReadSecretLine("RPC password> ", "-stdinrpcpass"));
        }
        if (args.GetBoolArg("-stdinwalletpassphrase", false)) {
            if (cmd_args.empty() || cmd_args[0].substr(0, 16) != "walletpassphrase") {
                throw std::runtime_error("-stdinwalletpassphrase is only applicable for walletpassphrase(change)");
            }
            const std::string passphrase = ReadSecretLine("Wallet passphrase> ", "-stdinwalletpassphrase");
            cmd_args.insert(cmd_args.begin() + 1, passphrase);
        }
        if (args.GetBoolArg("-stdin", false)) {
            std::string line;
            while (std::getline(std::cin, line)) cmd_args.push_back(line);
            if (StdinTerminal()) std::fputc('\n', stdout);
        }
        CheckMultipleCliCommands(args);

        const RpcClientContext ctx{args, chain};
        std::unique_ptr<RequestHandler> handler;
        std::string method;
        if (args.IsArgSet("-getinfo")) {
            handler = std::make_unique<GetinfoRequestHandler>();
        } else if (args.GetBoolArg("-netinfo", false)) {
            if (!cmd_args.empty() && (cmd_args[0] == "h" || cmd_args[0] == "help")) {
                std::printf("%s\n", NetinfoHelp().c_str());
                return 0;
            }
            handler = std::make_unique<NetinfoRequestHandler>(chain);
        } else if (args.GetBoolArg("-generate", false)) {
            DefaultRequestHandler address_handler;
            const UniValue reply = ConnectAndCallRpc(ctx, address_handler, "getnewaddress", {}, RpcWalletName(args));
            const UniValue& error = find_value(reply, "error");
            if (error.isNull()) {
                SetGenerateToAddressArgs(find_value(reply, "result").get_str(), cmd_args);
                handler = std::make_unique<GenerateToAddressRequestHandler>();
            } else {
                ParseError(error, out, ret);
            }
        } else if (args.GetBoolArg("-addrinfo", false)) {
            handler = std::make_unique<AddrinfoRequestHandler>();
        } else {
            handler = std::make_unique<DefaultRequestHandler>(args.GetBoolArg("-named", DEFAULT_NAMED));
            if (cmd_args.empty()) throw std::runtime_error("too few parameters (need at least command)");
            method = cmd_args.front();
            cmd_args.erase(cmd_args.begin());
        }
        if (ret == 0) {
            const UniValue reply = ConnectAndCallRpc(ctx, *handler, method, cmd_args, RpcWalletName(args));
            UniValue result = find_value(reply, "result");
            const UniValue& error = find_value(reply, "error");
            if (error.isNull()) {
                if (args.GetBoolArg("-getinfo", false)) {
                    if (!args.IsArgSet("-rpcwallet")) AddWalletBalances(ctx, result);
                    result = UniValue(FormatGetInfo(result, ShouldColorize(args)));
                }
                ParseResult(result, out);
            } else {
                ParseError(error, out, ret);
            }
        }
    } catch (const std::exception& e) {
        out = std::string("error: ") + e.what();
        ret = EXIT_FAILURE;
    }
    if (!out.empty()) {
        std::FILE* stream = ret == 0 ? stdout : stderr;
        std::fputs(out.c_str(), stream);
        std::fputc('\n', stream);
    }
    return ret;
}

} // namespace

int CliMain(int argc, char* argv[])
{
    // The client keeps no log; the shared argument code must not print one.
    Logger::Instance().SetQuiet(true);
    ArgsManager args;
    ChainType chain = ChainType::MAIN;
    try {
        const int ret = AppInitRpc(args, argc, argv, chain);
        if (ret != CONTINUE_EXECUTION) return ret;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "Error: %s\n", e.what());
        return EXIT_FAILURE;
    }
    try {
        return CommandLineRpc(args, chain, argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "Error: %s\n", e.what());
        return EXIT_FAILURE;
    }
}

} // namespace cairn
