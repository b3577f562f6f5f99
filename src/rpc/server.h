// The RPC dispatcher and its HTTP front end.
//
// RpcTable holds the methods by name and category, runs one parsed request
// (warm-up check, named-parameter mapping, argument checks, the body) and
// keeps what the control methods report: the warm-up state, the commands
// running now (getrpcinfo), the start time (uptime) and the node's shutdown
// request (stop). Register every method before serving; afterwards the
// table is only read, and Execute may run on many threads at once.
//
// StartHttpRpc puts the JSON-RPC endpoint on an HttpServer: POST "/" and
// "/wallet/<name>", Basic authentication, single requests, batches and
// notifications with Bitcoin Core's HTTP statuses and reply shapes.
#ifndef CAIRN_RPC_SERVER_H
#define CAIRN_RPC_SERVER_H

#include "rpc/request.h"
#include "rpc/util.h"

#include <univalue.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

class HttpServer;
class RpcAuthenticator;

class RpcTable
{
public:
    RpcTable();

    /** Adds a method under a help category ("blockchain", "control", ...;
     *  "hidden" keeps it out of the `help` listing). Throws
     *  std::logic_error if the name is taken. */
    void Register(std::string category, RpcMethod method);
    bool Unregister(const std::string& name);
    /** All method names, sorted. */
    std::vector<std::string> ListCommands() const;
    const RpcMethod* Find(const std::string& name) const;

    /**
     * Runs one request. Throws RpcError: -28 with the warm-up status while
     * warming up (every method, as in Core), -32601 "Method not found", the
     * method's own errors; any other exception from the method becomes
     * RPC_MISC_ERROR (-1) with its message (the help text for a wrong number
     * of arguments).
     */
    UniValue Execute(const JsonRpcRequest& request) const;

    /** The `help` text: one method's help, or the listing by category; for an
     *  unknown name "help: unknown command: <name>". */
    std::string Help(const std::string& command) const;
    /** For `help dump_all_command_conversions`. */
    UniValue DumpArgMap() const;

    // Warm-up: until SetRpcWarmupFinished, every call fails with -28 and the
    // status ("RPC server started", "Loading block index…", ...).
    void SetRpcWarmupStatus(const std::string& status);
    void SetRpcWarmupFinished();
    bool IsInWarmup(std::string* status = nullptr) const;

    /** The node's way to start an orderly shutdown (`stop`). */
    void SetShutdownRequest(std::function<void()> request_shutdown);
    /** False when no callback is set. */
    bool RequestShutdown() const;
    /** Long-running methods check this ("Shutting down", -9, once false). */
    void Interrupt() { m_running = false; }
    bool IsRunning() const { return m_running; }

    /** The debug log path shown by getrpcinfo. */
    void SetLogPath(std::string path);
    std::string LogPath() const;
    /** Seconds since the epoch when the node started (uptime); defaults to
     *  the construction of the table. */
    void SetStartupTime(int64_t unix_seconds) { m_startup_time = unix_seconds; }
    int64_t StartupTime() const { return m_startup_time; }

    /** [{"method": ..., "duration": microseconds}, ...] of the calls running now. */
    UniValue ActiveCommands() const;

private:
    struct Entry {
        std::string category;
        RpcMethod method;
    };
    struct Running {
        std::string method;
        std::chrono::steady_clock::time_point start;
    };
    /** Registers a running call for getrpcinfo while alive. */
    class ActiveGuard
    {
    public:
        ActiveGuard(const RpcTable& table, const std::string& method);
        ~ActiveGuard();

    private:
        const RpcTable& m_table;
        std::list<Running>::iterator m_it;
    };

    std::map<std::string, std::unique_ptr<Entry>> m_methods;

    mutable std::mutex m_mutex; // guards the members below
    bool m_in_warmup{true};
    std::string m_warmup_status{"RPC server started"};
    std::function<void()> m_request_shutdown;
    std::string m_log_path;
    mutable std::list<Running> m_running_calls;

    std::atomic<bool> m_running{true};
    std::atomic<int64_t> m_startup_time;
};

/**
 * The reply to one HTTP body of JSON-RPC: a status and, unless empty (204,
 * or an HTTP-level refusal), a JSON body to send with
 * "Content-Type: application/json". `base` carries the HTTP context (URI,
 * user, peer, wallet name) copied into every request of a batch.
 */
struct HttpRpcReply {
    int status{200};
    std::string body;
};
HttpRpcReply ExecuteHttpRpc(const RpcTable& table, std::string_view body, const JsonRpcRequest& base);

/** Decodes %XX escapes (invalid ones are kept as they are); '+' stays '+'. */
std::string UrlDecode(std::string_view s);

/**
 * Serves JSON-RPC on `http`: "/" and, with `wallet_endpoints`, "/wallet/"
 * (the name after it is passed on, URL-decoded, as request.wallet_name).
 * Only POST (405 otherwise); no Authorization header → 401; a wrong one →
 * 401 after 250 ms (the worker is not held). The table and authenticator
 * must outlive the registration.
 */
class RpcWhitelist;
/** `whitelist` (-rpcwhitelist; may be null: no restriction) must outlive the handler. */
void StartHttpRpc(HttpServer& http, const RpcTable& table, const RpcAuthenticator& auth, bool wallet_endpoints = true,
                  const RpcWhitelist* whitelist = nullptr);
void StopHttpRpc(HttpServer& http, bool wallet_endpoints = true);

} // namespace cairn

#endif
