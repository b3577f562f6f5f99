#include "cli/options.h"

#include <string>

namespace cairn {

namespace {

constexpr unsigned ANY = ArgsManager::ALLOW_ANY;
constexpr unsigned DEBUG = ArgsManager::DEBUG_ONLY;
constexpr unsigned NET = ArgsManager::NETWORK_ONLY;
constexpr unsigned SECRET = ArgsManager::SENSITIVE;
constexpr unsigned NO_NEG = ArgsManager::DISALLOW_NEGATION;

using C = OptionCategory;

void RegisterChainOptions(ArgsManager& a)
{
    // Only the chain choice matters to the client (default port, datadir
    // subdirectory, config section); the rest is accepted so that one config
    // file serves both cairnd and cairn-cli.
    a.AddArg("-chain=<chain>", "Use this chain (default: main). Values: main, test, testnet4, signet, regtest", ANY,
             C::CHAINPARAMS);
    a.AddArg("-regtest", "Use the regression test chain. Same as -chain=regtest.", ANY | DEBUG, C::CHAINPARAMS);
    a.AddArg("-testnet", "Use the testnet3 chain. Same as -chain=test.", ANY, C::CHAINPARAMS);
    a.AddArg("-testnet4", "Use the testnet4 chain. Same as -chain=testnet4.", ANY, C::CHAINPARAMS);
    a.AddArg("-signet", "Use the signet chain. Same as -chain=signet.", ANY, C::CHAINPARAMS);
    a.AddArg("-signetchallenge", "Block challenge of a custom signet (signet only)", ANY | NO_NEG, C::CHAINPARAMS);
    a.AddArg("-signetseednode", "Seed node of a custom signet (signet only)", ANY | NO_NEG, C::CHAINPARAMS);
    a.AddArg("-testactivationheight=name@height", "Activation height of a deployment (regtest only)", ANY | DEBUG,
             C::CHAINPARAMS);
    a.AddArg("-vbparams=deployment:start:end[:min_activation_height]",
             "Version bits deployment parameters (regtest only)", ANY | DEBUG, C::CHAINPARAMS);
}

} // namespace

void RegisterCliOptions(ArgsManager& a)
{
    a.AddArg("-help", "Print this help message and exit (also -h or -?)", ANY, C::OPTIONS);
    a.AddHiddenArgs({"-h", "-?"});
    a.AddArg("-version", "Print version and exit", ANY, C::OPTIONS);
    a.AddArg("-conf=<file>",
             "Configuration file. A relative path is taken relative to the datadir. (default: cairn.conf, or "
             "bitcoin.conf when the datadir has no cairn.conf)",
             ANY, C::OPTIONS);
    a.AddArg("-datadir=<dir>", "Data directory", ANY, C::OPTIONS);
    // Config files may include others; the option itself is only valid there.
    a.AddHiddenArgs({"-includeconf"});

    a.AddArg("-generate",
             std::string("Generate blocks: getnewaddress, then generatetoaddress to that address. Optional positional "
                         "integers: the number of blocks (default: ") +
                 DEFAULT_NBLOCKS + ") and the maximum iterations to try (default: " +
                 std::to_string(DEFAULT_MAX_TRIES) +
                 "), as generatetoaddress's nblocks and maxtries. Example: cairn-cli -generate 4 1000",
             ANY, C::CLI_COMMANDS);
    a.AddArg("-addrinfo",
             "Print the number of addresses the node knows, per network and in total, after filtering for quality "
             "and recency (the node may know more).",
             ANY, C::CLI_COMMANDS);
    a.AddArg("-getinfo",
             "Print general information from the server. Unlike an RPC, this is the result of several separate "
             "requests, so entries may describe slightly different moments (e.g. the wallet balance may be from "
             "another block than the chain state).",
             ANY, C::CLI_COMMANDS);
    a.AddArg("-netinfo",
             "Print the node's peer connections. An optional level from 0 to 4 selects the peers listing (default: "
             "0); with a non-zero level, \"outonly\" (or \"o\") lists outbound peers only. \"help\" (or \"h\") "
             "prints the detailed documentation.",
             ANY, C::CLI_COMMANDS);

    RegisterChainOptions(a);

    a.AddArg("-color=<when>",
             std::string("When to color the output (default: ") + DEFAULT_COLOR_SETTING +
                 "). Values: always, auto (color when standard output is a terminal), never. Only -getinfo is "
                 "colored.",
             ANY | NO_NEG, C::OPTIONS);
    a.AddArg("-named", "Pass named instead of positional arguments (default: 0)", ANY, C::OPTIONS);
    a.AddArg("-rpcclienttimeout=<n>",
             "Timeout in seconds of each HTTP request, 0 for none (default: " +
                 std::to_string(DEFAULT_HTTP_CLIENT_TIMEOUT) + ")",
             ANY, C::OPTIONS);
    a.AddArg("-rpcconnect=<ip>",
             std::string("Send commands to the node at <ip>, optionally with :<port> (default: ") + DEFAULT_RPCCONNECT +
                 ")",
             ANY, C::OPTIONS);
    a.AddArg("-rpccookiefile=<loc>",
             "The auth cookie file. A relative path is taken relative to the network datadir. (default: .cookie)", ANY,
             C::OPTIONS);
    a.AddArg("-rpcpassword=<pw>", "Password for JSON-RPC connections", ANY | SECRET, C::OPTIONS);
    a.AddArg("-rpcport=<port>",
             "Connect to JSON-RPC on <port> (default: 8332, testnet: 18332, testnet4: 48332, signet: 38332, regtest: "
             "18443)",
             ANY | NET, C::OPTIONS);
    a.AddArg("-rpcuser=<user>", "Username for JSON-RPC connections", ANY | SECRET, C::OPTIONS);
    a.AddArg("-rpcwait", "Wait for the RPC server to start", ANY, C::OPTIONS);
    a.AddArg("-rpcwaittimeout=<n>",
             "How long -rpcwait waits, in seconds, 0 for no limit (default: " +
                 std::to_string(DEFAULT_WAIT_CLIENT_TIMEOUT) + ")",
             ANY | NO_NEG, C::OPTIONS);
    a.AddArg("-rpcwallet=<walletname>",
             "Send the RPC to this wallet of the server (the name of a wallet it has loaded), through the endpoint "
             "http://127.0.0.1:8332/wallet/<walletname>",
             ANY, C::OPTIONS);
    a.AddArg("-stdin",
             "Read extra arguments from standard input, one per line until EOF (recommended for secrets such as "
             "passphrases). With -stdinrpcpass, the first line is the RPC password.",
             ANY, C::OPTIONS);
    a.AddArg("-stdinrpcpass",
             "Read the RPC password from standard input as a single line. With -stdin, the first line is the "
             "password; with -stdinwalletpassphrase, the password is the first line and the passphrase the second.",
             ANY, C::OPTIONS);
    a.AddArg("-stdinwalletpassphrase",
             "Read the wallet passphrase from standard input as a single line (walletpassphrase and "
             "walletpassphrasechange only). With -stdin, the first line is the passphrase.",
             ANY, C::OPTIONS);
}

} // namespace cairn
