#include "cli/commands.h"

#include "cli/convert.h"
#include "cli/options.h"
#include "rpc/protocol.h"

#include <stdexcept>

namespace cairn {

void SetGenerateToAddressArgs(const std::string& address, std::vector<std::string>& args)
{
    if (args.size() > 2) throw std::runtime_error("too many arguments (maximum 2 for nblocks and maxtries)");
    if (args.empty()) {
        args.emplace_back(DEFAULT_NBLOCKS);
    } else if (args.at(0) == "0") {
        throw std::runtime_error(std::string("the first argument (number of blocks to generate, default: ") +
                                 DEFAULT_NBLOCKS + ") must be an integer value greater than zero");
    }
    args.insert(args.begin() + 1, address);
}

UniValue GenerateToAddressRequestHandler::PrepareRequest(const std::string&, const std::vector<std::string>& args)
{
    m_address = args.at(1);
    return RequestObj("generatetoaddress", ConvertPositionalArgs("generatetoaddress", args), 1);
}

UniValue GenerateToAddressRequestHandler::ProcessReply(const UniValue& reply)
{
    if (!reply.isObject()) throw std::runtime_error("JSON value is not an object as expected");
    // As in bitcoin-cli, the reply's result is reported whatever it is.
    UniValue result(UniValue::VOBJ);
    result.pushKV("address", m_address);
    result.pushKV("blocks", find_value(reply, "result"));
    return ClientReplyObj(result, UniValue(), 1);
}

UniValue AddrinfoRequestHandler::PrepareRequest(const std::string&, const std::vector<std::string>& args)
{
    if (!args.empty()) throw std::runtime_error("-addrinfo takes no arguments");
    return RequestObj("getaddrmaninfo", UniValue(), 1);
}

UniValue AddrinfoRequestHandler::ProcessReply(const UniValue& reply)
{
    const UniValue& error = find_value(reply, "error");
    if (!error.isNull()) {
        if (error.isObject() && find_value(error, "code").isNum() &&
            find_value(error, "code").get_int() == RPC_METHOD_NOT_FOUND) {
            throw std::runtime_error("-addrinfo requires the getaddrmaninfo RPC, which this server does not have.");
        }
        return reply;
    }
    const UniValue& info = find_value(reply, "result");
    UniValue addresses(UniValue::VOBJ);
    if (info.isObject()) {
        for (size_t i = 0; i < info.size(); ++i) {
            const std::string& network = info.getKeys()[i];
            addresses.pushKV(network == "all_networks" ? "total" : network, info[i]["total"]);
        }
    }
    UniValue result(UniValue::VOBJ);
    result.pushKV("addresses_known", addresses);
    return ClientReplyObj(result, UniValue(), 1);
}

} // namespace cairn
