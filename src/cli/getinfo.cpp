#include "cli/getinfo.h"

#include "cli/options.h"
#include "rpc/protocol.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unistd.h>

namespace cairn {

namespace {

constexpr const char* CURRENCY_UNIT = "BTC";

/** The text of a value as bitcoin-cli prints it (numbers as sent, strings raw);
 *  "n/a" for a field the server did not provide. */
std::string Text(const UniValue& v)
{
    if (v.isNull()) return "n/a";
    if (v.isBool()) return v.isTrue() ? "true" : "false";
    return v.getValStr();
}

/** Core's progress bar: one dark block per 5% done, one light block per 5% left. */
std::string ProgressBar(double progress)
{
    std::string bar;
    if (progress < 0 || progress > 1) return bar;
    constexpr double INCREMENT = 0.05;
    for (int i = 0; i < progress / INCREMENT; ++i) bar += "\u2592";
    for (int i = 0; i < (1 - progress) / INCREMENT; ++i) bar += "\u2591";
    return bar;
}

bool IsMethodNotFound(const UniValue& reply)
{
    const UniValue& error = find_value(reply, "error");
    return error.isObject() && find_value(error, "code").isNum() &&
           find_value(error, "code").get_int() == RPC_METHOD_NOT_FOUND;
}

std::string JoinWarnings(const UniValue& warnings)
{
    // Core v28+ returns an array of warnings (a string with -deprecatedrpc=warnings).
    if (warnings.isStr()) return warnings.get_str();
    std::string out;
    if (warnings.isArray()) {
        for (const UniValue& w : warnings.getValues()) {
            if (!out.empty()) out += "\n";
            out += w.isStr() ? w.get_str() : w.write();
        }
    }
    return out;
}

} // namespace

UniValue GetinfoRequestHandler::PrepareRequest(const std::string&, const std::vector<std::string>& args)
{
    if (!args.empty()) throw std::runtime_error("-getinfo takes no arguments");
    UniValue batch(UniValue::VARR);
    batch.push_back(RequestObj("getnetworkinfo", UniValue(), ID_NETWORKINFO));
    batch.push_back(RequestObj("getblockchaininfo", UniValue(), ID_BLOCKCHAININFO));
    batch.push_back(RequestObj("getwalletinfo", UniValue(), ID_WALLETINFO));
    batch.push_back(RequestObj("getbalances", UniValue(), ID_BALANCES));
    return batch;
}

UniValue GetinfoRequestHandler::ProcessReply(const UniValue& batch_in)
{
    const std::vector<UniValue> batch = ProcessBatchReply(batch_in);
    if (batch.size() <= size_t(ID_BALANCES)) throw std::runtime_error("Batch member id is larger than batch size");
    // Errors of getnetworkinfo and getblockchaininfo are fatal, except that a
    // server without network RPCs gets a partial summary; the wallet calls
    // may fail (no wallet loaded, or none built).
    const bool has_network = !IsMethodNotFound(batch[ID_NETWORKINFO]);
    if (has_network && !find_value(batch[ID_NETWORKINFO], "error").isNull()) return batch[ID_NETWORKINFO];
    if (!find_value(batch[ID_BLOCKCHAININFO], "error").isNull()) return batch[ID_BLOCKCHAININFO];
    const UniValue empty(UniValue::VOBJ);
    const UniValue& network = has_network ? find_value(batch[ID_NETWORKINFO], "result") : empty;
    const UniValue& chain = find_value(batch[ID_BLOCKCHAININFO], "result");
    const UniValue& wallet = find_value(batch[ID_WALLETINFO], "result");
    const UniValue& balances = find_value(batch[ID_BALANCES], "result");

    UniValue result(UniValue::VOBJ);
    result.pushKV("version", network["version"]);
    result.pushKV("blocks", chain["blocks"]);
    result.pushKV("headers", chain["headers"]);
    result.pushKV("verificationprogress", chain["verificationprogress"]);
    result.pushKV("timeoffset", network["timeoffset"]);
    UniValue connections(UniValue::VOBJ);
    connections.pushKV("in", network["connections_in"]);
    connections.pushKV("out", network["connections_out"]);
    connections.pushKV("total", network["connections"]);
    result.pushKV("connections", connections);
    result.pushKV("networks", network["networks"]);
    result.pushKV("difficulty", chain["difficulty"]);
    result.pushKV("chain", chain["chain"]);
    if (!wallet.isNull()) {
        result.pushKV("has_wallet", true);
        result.pushKV("keypoolsize", wallet["keypoolsize"]);
        result.pushKV("walletname", wallet["walletname"]);
        if (!wallet["unlocked_until"].isNull()) result.pushKV("unlocked_until", wallet["unlocked_until"]);
        result.pushKV("paytxfee", wallet["paytxfee"]);
    }
    if (!balances.isNull()) result.pushKV("balance", balances["mine"]["trusted"]);
    result.pushKV("relayfee", network["relayfee"]);
    result.pushKV("warnings", has_network ? network["warnings"] : chain["warnings"]);
    return ClientReplyObj(result, UniValue(), 1);
}

void AddWalletBalances(const RpcClientContext& ctx, UniValue& result)
{
    DefaultRequestHandler handler;
    const UniValue listwallets = ConnectAndCallRpc(ctx, handler, "listwallets", {});
    if (!find_value(listwallets, "error").isNull()) return;
    const UniValue& wallets = find_value(listwallets, "result");
    if (!wallets.isArray() || wallets.size() <= 1) return;
    UniValue balances(UniValue::VOBJ);
    for (const UniValue& wallet : wallets.getValues()) {
        const std::string name = wallet.get_str();
        const UniValue reply = ConnectAndCallRpc(ctx, handler, "getbalances", {}, name);
        balances.pushKV(name, find_value(reply, "result")["mine"]["trusted"]);
    }
    result.pushKV("balances", balances);
}

bool ShouldColorize(const ArgsManager& args)
{
    bool color = isatty(fileno(stdout));
    if (args.IsArgSet("-color")) {
        const std::string when = args.GetArg("-color", DEFAULT_COLOR_SETTING);
        if (when == "always") {
            color = true;
        } else if (when == "never") {
            color = false;
        } else if (when != "auto") {
            throw std::runtime_error("Invalid value for -color option. Valid values: always, auto, never.");
        }
    }
    return color;
}

std::string FormatGetInfo(const UniValue& result, bool color)
{
    const std::string RESET = color ? "\x1B[0m" : "";
    const std::string GREEN = color ? "\x1B[32m" : "";
    const std::string BLUE = color ? "\x1B[34m" : "";
    const std::string YELLOW = color ? "\x1B[33m" : "";
    const std::string MAGENTA = color ? "\x1B[35m" : "";
    const std::string CYAN = color ? "\x1B[36m" : "";

    std::string out = BLUE + "Chain: " + Text(result["chain"]) + RESET + "\n";
    out += "Blocks: " + Text(result["blocks"]) + "\n";
    out += "Headers: " + Text(result["headers"]) + "\n";

    const double progress = result["verificationprogress"].isNum() ? result["verificationprogress"].get_real() : 0;
    // The bar is shown only while less than 99% is verified.
    std::string bar;
    if (progress < 0.99) bar = ProgressBar(progress) + " ";
    char percent[64];
    std::snprintf(percent, sizeof(percent), "%.4f%%", progress * 100);
    out += "Verification progress: " + bar + percent + "\n";
    out += "Difficulty: " + Text(result["difficulty"]) + "\n\n";

    const UniValue& connections = result["connections"];
    out += GREEN + "Network: in " + Text(connections["in"]) + ", out " + Text(connections["out"]) + ", total " +
           Text(connections["total"]) + RESET + "\n";
    out += "Version: " + Text(result["version"]) + "\n";
    out += "Time offset (s): " + Text(result["timeoffset"]) + "\n";

    // Proxies, each with the networks that use it, in the order first seen.
    std::vector<std::string> proxies;
    std::map<std::string, std::vector<std::string>> proxy_networks;
    if (result["networks"].isArray()) {
        for (const UniValue& network : result["networks"].getValues()) {
            const std::string proxy = network["proxy"].getValStr();
            if (proxy.empty()) continue;
            if (!proxy_networks.count(proxy)) proxies.push_back(proxy);
            proxy_networks[proxy].push_back(network["name"].getValStr());
        }
    }
    std::string proxy_text;
    for (const std::string& proxy : proxies) {
        if (!proxy_text.empty()) proxy_text += ", ";
        proxy_text += proxy + " (";
        const auto& names = proxy_networks[proxy];
        for (size_t i = 0; i < names.size(); ++i) proxy_text += (i ? ", " : "") + names[i];
        proxy_text += ")";
    }
    out += "Proxies: " + (proxy_text.empty() ? std::string("n/a") : proxy_text) + "\n";
    out += std::string("Min tx relay fee rate (") + CURRENCY_UNIT + "/kvB): " + Text(result["relayfee"]) + "\n\n";

    if (!result["has_wallet"].isNull()) {
        const std::string name = result["walletname"].getValStr();
        out += MAGENTA + "Wallet: " + (name.empty() ? std::string("\"\"") : name) + RESET + "\n";
        out += "Keypool size: " + Text(result["keypoolsize"]) + "\n";
        if (!result["unlocked_until"].isNull()) out += "Unlocked until: " + Text(result["unlocked_until"]) + "\n";
        out += std::string("Transaction fee rate (-paytxfee) (") + CURRENCY_UNIT +
               "/kvB): " + Text(result["paytxfee"]) + "\n\n";
    }
    if (!result["balance"].isNull()) out += CYAN + "Balance:" + RESET + " " + Text(result["balance"]) + "\n\n";

    const UniValue& balances = result["balances"];
    if (balances.isObject()) {
        out += CYAN + "Balances" + RESET + "\n";
        size_t width = 10;
        for (const UniValue& b : balances.getValues()) width = std::max(width, b.getValStr().size());
        for (size_t i = 0; i < balances.size(); ++i) {
            const std::string amount = balances[i].getValStr();
            const std::string& wallet = balances.getKeys()[i];
            out += std::string(width - std::min(width, amount.size()), ' ') + amount + " " +
                   (wallet.empty() ? std::string("\"\"") : wallet) + "\n";
        }
        out += "\n";
    }

    const std::string warnings = JoinWarnings(result["warnings"]);
    out += YELLOW + "Warnings:" + RESET + " " + (warnings.empty() ? std::string("(none)") : warnings);
    return out;
}

} // namespace cairn
