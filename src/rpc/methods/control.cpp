// `help` category "control": help, stop, uptime, getrpcinfo, logging,
// getmemoryinfo; and the hidden test helpers echo and echojson.
#include "rpc/methods/register.h"

#include "http/server.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "util/log.h"
#include "util/strencodings.h"

#include <univalue.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <malloc.h>
#include <stdexcept>
#include <thread>

namespace cairn {

namespace {

constexpr const char* STOP_REPLY = "Cairn server stopping";

RpcMethod Help(const RpcTable& table)
{
    return RpcMethod{
        "help",
        "List all commands, or get help for a specified command.",
        {
            {"command", RpcArg::Type::STR, RpcArg::DefaultHint{"all commands"}, "The command to get help on"},
        },
        {
            RpcResult{RpcResult::Type::STR, "", "The help text"},
            RpcResult{RpcResult::Type::ANY, "", ""},
        },
        RpcExamples{""},
        [&table](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const std::string command = args.MaybeStr(0).value_or("");
            // Undocumented: the argument table, for the client's conversions.
            if (command == "dump_all_command_conversions") return table.DumpArgMap();
            return table.Help(command);
        }};
}

RpcMethod Stop(const RpcTable& table)
{
    return RpcMethod{
        "stop",
        "Request a graceful shutdown of Cairn.",
        {
            // Hidden: milliseconds to wait before replying (for tests).
            {"wait", RpcArg::Type::NUM, RpcArg::Optional::OMITTED, "how long to wait in ms", RpcArgOptions{.hidden = true}},
        },
        RpcResult{RpcResult::Type::STR, "", std::string("A string with the content '") + STOP_REPLY + "'"},
        RpcExamples{""},
        [&table](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            // The HTTP server answers this request before it closes, so the
            // client gets the reply.
            if (!table.RequestShutdown()) throw std::runtime_error("Internal bug detected: no shutdown handler is set");
            const RpcArgs args{self, request};
            if (args.Has(0)) std::this_thread::sleep_for(std::chrono::milliseconds(args.GetInt<int>(0)));
            return STOP_REPLY;
        }};
}

RpcMethod Uptime(const RpcTable& table)
{
    return RpcMethod{
        "uptime",
        "Returns the total uptime of the server.",
        {},
        RpcResult{RpcResult::Type::NUM, "", "The number of seconds that the server has been running"},
        RpcExamples{HelpExampleCli("uptime", "") + HelpExampleRpc("uptime", "")},
        [&table](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            return int64_t(std::time(nullptr)) - table.StartupTime();
        }};
}

RpcMethod GetRpcInfo(const RpcTable& table)
{
    return RpcMethod{
        "getrpcinfo",
        "Returns details of the RPC server.",
        {},
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::ARR, "active_commands", "All active commands",
                       {
                           {RpcResult::Type::OBJ, "", "Information about an active command",
                            {
                                {RpcResult::Type::STR, "method", "The name of the RPC command"},
                                {RpcResult::Type::NUM, "duration", "The running time in microseconds"},
                            }},
                       }},
                      {RpcResult::Type::STR, "logpath", "The complete file path to the debug log"},
                  }},
        RpcExamples{HelpExampleCli("getrpcinfo", "") + HelpExampleRpc("getrpcinfo", "")},
        [&table](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            UniValue result(UniValue::VOBJ);
            result.pushKV("active_commands", table.ActiveCommands());
            result.pushKV("logpath", table.LogPath());
            return result;
        }};
}

/** Every -debug category name, sorted (as Core lists them). */
std::vector<std::string> SortedCategoryNames()
{
    std::vector<std::string> names;
    for (std::string& n : SplitString(LogCategoryNames(), ',')) {
        n = TrimString(n);
        if (!n.empty()) names.push_back(n);
    }
    std::sort(names.begin(), names.end());
    return names;
}

void EnableOrDisableCategories(const UniValue& categories, bool enable)
{
    for (const UniValue& c : categories.getValues()) {
        CheckValueType(c, UniValue::VSTR);
        const std::string& name = c.get_str();
        const auto category = LogCategoryFromName(name);
        if (!category) throw RpcError(RPC_INVALID_PARAMETER, "unknown logging category " + name);
        if (enable) {
            Logger::Instance().Enable(*category);
        } else {
            Logger::Instance().Disable(*category);
        }
    }
}

RpcMethod Logging()
{
    std::string names;
    for (const std::string& n : SortedCategoryNames()) names += (names.empty() ? "" : ", ") + n;
    return RpcMethod{
        "logging",
        "Gets and sets the logging configuration.\n"
        "When called without an argument, returns the list of categories with status that are currently being debug logged or not.\n"
        "When called with arguments, adds or removes categories from debug logging and return the lists above.\n"
        "The arguments are evaluated in order \"include\", \"exclude\".\n"
        "If an item is both included and excluded, it will thus end up being excluded.\n"
        "The valid logging categories are: " + names + "\n"
        "In addition, the following are available as category names with special meanings:\n"
        "  - \"all\",  \"1\" : represent all logging categories.\n",
        {
            {"include", RpcArg::Type::ARR, RpcArg::Optional::OMITTED, "The categories to add to debug logging",
             {
                 {"include_category", RpcArg::Type::STR, RpcArg::Optional::OMITTED, "the valid logging category"},
             }},
            {"exclude", RpcArg::Type::ARR, RpcArg::Optional::OMITTED, "The categories to remove from debug logging",
             {
                 {"exclude_category", RpcArg::Type::STR, RpcArg::Optional::OMITTED, "the valid logging category"},
             }},
        },
        RpcResult{RpcResult::Type::OBJ_DYN, "", "keys are the logging categories, and values indicates its status",
                  {
                      {RpcResult::Type::BOOL, "category", "if being debug logged or not. false:inactive, true:active"},
                  }},
        RpcExamples{HelpExampleCli("logging", "\"[\\\"all\\\"]\" \"[\\\"http\\\"]\"") +
                    HelpExampleRpc("logging", "[\"all\"], [\"libevent\"]")},
        [](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const bool libevent_before = Logger::Instance().Enabled(LogCategory::LIBEVENT);
            if (args.Get(0).isArray()) EnableOrDisableCategories(args.Get(0), true);
            if (args.Get(1).isArray()) EnableOrDisableCategories(args.Get(1), false);
            const bool libevent_after = Logger::Instance().Enabled(LogCategory::LIBEVENT);
            if (libevent_before != libevent_after) UpdateHttpServerLogging(libevent_after);

            UniValue result(UniValue::VOBJ);
            for (const std::string& n : SortedCategoryNames()) {
                result.pushKV(n, Logger::Instance().Enabled(*LogCategoryFromName(n)));
            }
            return result;
        }};
}

std::string MallocInfo()
{
    char* data = nullptr;
    size_t size = 0;
    FILE* f = open_memstream(&data, &size);
    if (!f) throw std::runtime_error("mallocinfo: open_memstream failed");
    malloc_info(0, f);
    std::fclose(f);
    std::string out(data ? data : "", size);
    free(data);
    return out;
}

RpcMethod GetMemoryInfo()
{
    return RpcMethod{
        "getmemoryinfo",
        "Returns an object containing information about memory usage.",
        {
            {"mode", RpcArg::Type::STR, RpcArg::Default{"stats"},
             "determines what kind of information is returned.\n"
             "  - \"stats\" returns general statistics about memory usage in the daemon.\n"
             "  - \"mallocinfo\" returns an XML string describing low-level heap state (only available if compiled with glibc)."},
        },
        {
            RpcResult{"mode \"stats\"", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::OBJ, "locked", "Information about locked memory manager",
                           {
                               {RpcResult::Type::NUM, "used", "Number of bytes used"},
                               {RpcResult::Type::NUM, "free", "Number of bytes available in current arenas"},
                               {RpcResult::Type::NUM, "total", "Total number of bytes managed"},
                               {RpcResult::Type::NUM, "locked",
                                "Amount of bytes that succeeded locking. If this number is smaller than total, locking "
                                "pages failed at some point and key data could be swapped to disk."},
                               {RpcResult::Type::NUM, "chunks_used", "Number allocated chunks"},
                               {RpcResult::Type::NUM, "chunks_free", "Number unused chunks"},
                           }},
                      }},
            RpcResult{"mode \"mallocinfo\"", RpcResult::Type::STR, "", "\"<malloc version=\"1\">...\""},
        },
        RpcExamples{HelpExampleCli("getmemoryinfo", "") + HelpExampleRpc("getmemoryinfo", "")},
        [](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const std::string mode = args.GetStr(0);
            if (mode == "stats") {
                // Cairn has no locked-memory pool yet: the fields, all zero.
                UniValue locked(UniValue::VOBJ);
                for (const char* key : {"used", "free", "total", "locked", "chunks_used", "chunks_free"}) {
                    locked.pushKV(key, 0);
                }
                UniValue obj(UniValue::VOBJ);
                obj.pushKV("locked", locked);
                return obj;
            }
            if (mode == "mallocinfo") return MallocInfo();
            throw RpcError(RPC_INVALID_PARAMETER, "unknown mode " + mode);
        }};
}

RpcMethod Echo(const std::string& name)
{
    std::vector<RpcArg> args;
    for (int i = 0; i < 10; ++i) {
        args.emplace_back("arg" + std::to_string(i), RpcArg::Type::STR, RpcArg::Optional::OMITTED, "",
                          RpcArgOptions{.skip_type_check = true});
    }
    return RpcMethod{
        name,
        "Simply echo back the input arguments. This command is for testing.\n"
        "\nIt will return an internal bug report when arg9='trigger_internal_bug' is passed.\n"
        "\nThe difference between echo and echojson is that echojson has argument conversion enabled in the client-side "
        "table in cairn-cli. There is no server-side difference.",
        std::move(args),
        RpcResult{RpcResult::Type::ANY, "", "Returns whatever was passed in"},
        RpcExamples{""},
        [](const RpcMethod&, const JsonRpcRequest& request) -> UniValue {
            if (request.params.size() > 9 && request.params[9].isStr() &&
                request.params[9].get_str() == "trigger_internal_bug") {
                throw std::runtime_error("Internal bug detected: request.params[9] != \"trigger_internal_bug\"\n"
                                         "rpc/methods/control.cpp (echo)\n"
                                         "Please report this issue to the Cairn developers.\n");
            }
            return request.params;
        }};
}

/** Core moves its scheduler's clock forward for tests. Cairn's periodic work
 *  (flushes, peer timers) runs on its own threads off the real clock, so
 *  there is nothing to move: the call only checks its argument as Core does. */
RpcMethod MockScheduler()
{
    return RpcMethod{
        "mockscheduler",
        "Bump the scheduler into the future (-regtest only)\n",
        {{"delta_time", RpcArg::Type::NUM, RpcArg::Optional::NO, "Number of seconds to forward the scheduler into the future."}},
        RpcResult{RpcResult::Type::NONE, "", ""},
        RpcExamples{""},
        [](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const int64_t delta = RpcArgs(self, request).GetInt<int64_t>(0);
            if (delta <= 0 || delta > 3600) {
                throw std::runtime_error("delta_time must be between 1 and 3600 seconds (1 hr)");
            }
            return UniValue();
        }};
}

} // namespace

void RegisterControlRpcCommands(RpcTable& table)
{
    table.Register("control", GetMemoryInfo());
    table.Register("control", Logging());
    table.Register("control", Help(table));
    table.Register("control", Stop(table));
    table.Register("control", Uptime(table));
    table.Register("control", GetRpcInfo(table));
    table.Register("hidden", Echo("echo"));
    table.Register("hidden", Echo("echojson"));
    table.Register("hidden", MockScheduler());
}

} // namespace cairn
