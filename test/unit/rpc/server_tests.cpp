// Tests for rpc/server.h and the control methods, end to end: an HttpServer
// on 127.0.0.1 with the JSON-RPC handler, real sockets, a small blocking
// client. Also the dispatcher alone (ExecuteHttpRpc) for the exact reply
// bodies and statuses.
#include "http/auth.h"
#include "http/server.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "util/log.h"

#include "test/unit/http/http_client.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

using namespace cairn;
using cairn::test::BasicAuth;
using cairn::test::HttpClient;
using cairn::test::HttpResponse;
using namespace std::chrono_literals;

namespace {

UniValue Json(const std::string& s)
{
    UniValue v;
    if (!v.read(s)) throw std::runtime_error("bad JSON: " + s);
    return v;
}

const std::string RPCAUTH_USER = "alice";
const std::string RPCAUTH_PASSWORD = "secret-password";
const std::string RPCAUTH = "alice:cb77f0957de88ff388cf817ddbc7273$7cced3df8c4cb3a6549e1e28eb03df85f0bbc3446918bd74f5c00d8f70c11c60";

/** Blocks a test method until the test lets it go (bounded). */
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open{false};
    int entered{0};

    void Enter()
    {
        std::unique_lock lock(mutex);
        ++entered;
        cv.notify_all();
        cv.wait_for(lock, 10s, [this] { return open; });
    }
    bool WaitEntered(int n)
    {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, 10s, [&] { return entered >= n; });
    }
    void Open()
    {
        std::lock_guard lock(mutex);
        open = true;
        cv.notify_all();
    }
};

/** Test-only methods in the "hidden" category. */
void RegisterTestMethods(RpcTable& table, Gate& gate, std::atomic<int>& counter)
{
    table.Register("hidden", RpcMethod{"slowtest", "Waits for the test.", {}, RpcResult{RpcResult::Type::STR, "", ""},
                                       RpcExamples{""}, [&gate](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
                                           gate.Enter();
                                           return "slow done";
                                       }});
    table.Register("hidden", RpcMethod{"count", "Counts calls.", {}, RpcResult{RpcResult::Type::NUM, "", ""}, RpcExamples{""},
                                       [&counter](const RpcMethod&, const JsonRpcRequest&) -> UniValue { return ++counter; }});
    table.Register("hidden", RpcMethod{"walletname", "The wallet of the URI.", {}, RpcResult{RpcResult::Type::ANY, "", ""},
                                       RpcExamples{""}, [](const RpcMethod&, const JsonRpcRequest& r) -> UniValue {
                                           UniValue o(UniValue::VOBJ);
                                           o.pushKV("wallet", r.wallet_name ? UniValue(*r.wallet_name) : UniValue());
                                           o.pushKV("user", r.auth_user);
                                           o.pushKV("uri", r.uri);
                                           return o;
                                       }});
    table.Register("hidden", RpcMethod{"failwith", "Throws the error asked for.",
                                       {{"code", RpcArg::Type::NUM, RpcArg::Optional::NO, ""}},
                                       RpcResult{RpcResult::Type::NONE, "", ""}, RpcExamples{""},
                                       [](const RpcMethod& self, const JsonRpcRequest& r) -> UniValue {
                                           const int code = RpcArgs{self, r}.GetInt<int>(0);
                                           if (code == 0) throw std::runtime_error("plain exception");
                                           throw RpcError(code, "failed as asked");
                                       }});
}

struct RpcFixture {
    std::filesystem::path dir;
    std::filesystem::path cookie_path;
    std::string cookie; // "__cookie__:<hex>"
    RpcTable table;
    RpcAuthenticator auth;
    HttpServer http;
    Gate gate;
    std::atomic<int> counter{0};
    std::atomic<int> shutdown_requests{0};
    uint16_t port{0};

    explicit RpcFixture(int threads = 4, int depth = 16, size_t max_body = HTTP_MAX_BODY_SIZE)
    {
        Logger::Instance().SetQuiet(true);
        char tmpl[] = "/tmp/cairn_rpc_XXXXXX";
        dir = ::mkdtemp(tmpl);
        cookie_path = dir / ".cookie";
        std::string error;
        auto pass = GenerateAuthCookie(cookie_path, CookiePerms::OWNER, error);
        BOOST_REQUIRE_MESSAGE(pass, error);
        cookie = *ReadAuthCookie(cookie_path);
        auth.AddUserPassword(std::string(COOKIEAUTH_USER), *pass);
        auth.AddUserPassword("user", "pass word");
        BOOST_REQUIRE(auth.AddRpcAuth(RPCAUTH));

        RegisterControlRpcCommands(table);
        RegisterTestMethods(table, gate, counter);
        table.SetShutdownRequest([this] { ++shutdown_requests; });
        table.SetLogPath("/tmp/debug.log");
        table.SetRpcWarmupFinished();

        HttpServerOptions o;
        o.bind = {{"127.0.0.1", 0}};
        o.threads = threads;
        o.work_queue_depth = depth;
        o.timeout_seconds = 10;
        o.max_body_bytes = max_body;
        BOOST_REQUIRE_MESSAGE(http.Start(o, error), error);
        port = http.BoundPorts().at(0);
        StartHttpRpc(http, table, auth);
    }
    ~RpcFixture()
    {
        gate.Open();
        StopHttpRpc(http);
        http.Interrupt();
        http.Stop();
        DeleteAuthCookie(cookie_path);
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        Logger::Instance().SetQuiet(false);
    }

    std::string CookieAuth() const { return "Basic " + EncodeBase64(cookie); }

    /** POSTs `body` on a fresh connection with the cookie credentials. */
    HttpResponse Post(const std::string& body, const std::string& path = "/")
    {
        HttpClient c(port);
        auto r = c.Request("POST", path, body, {{"Authorization", CookieAuth()}, {"Content-Type", "application/json"}});
        BOOST_REQUIRE_MESSAGE(r, "no reply to " + body);
        return *r;
    }
    /** The parsed reply of a call. */
    UniValue Call(const std::string& body, int expected_status = 200)
    {
        const HttpResponse r = Post(body);
        BOOST_CHECK_EQUAL(r.status, expected_status);
        UniValue v;
        BOOST_REQUIRE_MESSAGE(v.read(r.body), "not JSON: " + r.body);
        return v;
    }
};

/** ExecuteHttpRpc on a table of its own, without sockets. */
struct TableFixture {
    RpcTable table;
    Gate gate;
    std::atomic<int> counter{0};
    TableFixture()
    {
        Logger::Instance().SetQuiet(true);
        RegisterControlRpcCommands(table);
        RegisterTestMethods(table, gate, counter);
        table.SetRpcWarmupFinished();
    }
    ~TableFixture() { Logger::Instance().SetQuiet(false); }
    std::string Run(const std::string& body, int expected_status)
    {
        const HttpRpcReply r = ExecuteHttpRpc(table, body, JsonRpcRequest{});
        BOOST_CHECK_MESSAGE(r.status == expected_status, body + " -> " + std::to_string(r.status));
        if (!r.body.empty()) BOOST_CHECK(r.body.back() == '\n');
        return r.body.empty() ? r.body : r.body.substr(0, r.body.size() - 1);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(rpc_server_tests)

BOOST_FIXTURE_TEST_CASE(legacy_replies, TableFixture)
{
    // Success: result, error and id all present, HTTP 200.
    BOOST_CHECK_EQUAL(Run(R"({"method": "echo", "params": ["a", 1], "id": 1})", 200),
                      R"({"result":["a",1],"error":null,"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "1.0", "method": "echo", "id": "x"})", 200), R"({"result":[],"error":null,"id":"x"})");
    // No id in the request, none in the reply.
    BOOST_CHECK_EQUAL(Run(R"({"method": "echo"})", 200), R"({"result":[],"error":null})");
    // Errors are HTTP errors: 404 for an unknown method, 500 for the rest.
    BOOST_CHECK_EQUAL(Run(R"({"method": "nosuchmethod", "id": 1})", 404),
                      R"({"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "failwith", "params": [-8], "id": 2})", 500),
                      R"({"result":null,"error":{"code":-8,"message":"failed as asked"},"id":2})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "failwith", "params": [0], "id": 3})", 500),
                      R"({"result":null,"error":{"code":-1,"message":"plain exception"},"id":3})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "failwith", "params": ["x"], "id": 4})", 500),
                      "{\"result\":null,\"error\":{\"code\":-3,\"message\":\"Wrong type passed:\\n{\\n    \\\"Position 1 (code)\\\": "
                      "\\\"JSON value of type string is not of expected type number\\\"\\n}\"},\"id\":4}");
    // Invalid requests: 400.
    BOOST_CHECK_EQUAL(Run(R"({"id": 5})", 400), R"({"result":null,"error":{"code":-32600,"message":"Missing method"},"id":5})");
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": 2, "method": "echo"})", 400),
                      R"({"result":null,"error":{"code":-32600,"message":"jsonrpc field must be a string"}})");
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "3.0", "method": "echo", "id": 1})", 400),
                      R"({"result":null,"error":{"code":-32600,"message":"JSON-RPC version not supported"},"id":1})");
    // Unparsable bodies: parse error, id null, HTTP 500.
    for (const char* bad : {"", "this is bad", "{", "[1,]", "{} {}"}) {
        BOOST_CHECK_EQUAL(Run(bad, 500), R"({"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null})");
    }
    BOOST_CHECK_EQUAL(Run("17", 500),
                      R"({"result":null,"error":{"code":-32700,"message":"Top-level object parse error"},"id":null})");
    BOOST_CHECK_EQUAL(Run(R"("text")", 500),
                      R"({"result":null,"error":{"code":-32700,"message":"Top-level object parse error"},"id":null})");
}

BOOST_FIXTURE_TEST_CASE(v2_replies, TableFixture)
{
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "echo", "params": [true], "id": 1})", 200),
                      R"({"jsonrpc":"2.0","result":[true],"id":1})");
    // RPC errors are not HTTP errors.
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "nosuchmethod", "id": 1})", 200),
                      R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "failwith", "params": [-5], "id": null})", 200),
                      R"({"jsonrpc":"2.0","error":{"code":-5,"message":"failed as asked"},"id":null})");
    // A malformed 2.0 request is still an HTTP error.
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "id": 9})", 400),
                      R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"Missing method"},"id":9})");
    // Notifications run but get no body: 204, even when they fail.
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "count"})", 204), "");
    BOOST_CHECK_EQUAL(counter.load(), 1);
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "failwith", "params": [-8]})", 204), "");
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "nosuchmethod"})", 204), "");
    // "id": null is a request, not a notification.
    BOOST_CHECK_EQUAL(Run(R"({"jsonrpc": "2.0", "method": "count", "id": null})", 200), R"({"jsonrpc":"2.0","result":2,"id":null})");
}

BOOST_FIXTURE_TEST_CASE(batches, TableFixture)
{
    BOOST_CHECK_EQUAL(Run("[]", 200), "[]");
    BOOST_CHECK_EQUAL(Run(R"([
        {"method": "echo", "params": [1], "id": 1},
        {"method": "nosuchmethod", "id": 2},
        {"jsonrpc": "2.0", "method": "echo", "params": [3], "id": 3},
        {"jsonrpc": "2.0", "method": "count"},
        {"pizza": "sausage", "id": 5},
        17,
        {"jsonrpc": "2.0", "method": "failwith", "params": [-25], "id": 7}
    ])", 200),
                      "["
                      R"({"result":[1],"error":null,"id":1},)"
                      R"({"result":null,"error":{"code":-32601,"message":"Method not found"},"id":2},)"
                      R"({"jsonrpc":"2.0","result":[3],"id":3},)"
                      R"({"result":null,"error":{"code":-32600,"message":"Missing method"},"id":5},)"
                      R"({"result":null,"error":{"code":-32600,"message":"Invalid Request object"},"id":null},)"
                      R"({"jsonrpc":"2.0","error":{"code":-25,"message":"failed as asked"},"id":7})"
                      "]");
    BOOST_CHECK_EQUAL(counter.load(), 1);
    // Only notifications: nothing to say.
    BOOST_CHECK_EQUAL(Run(R"([{"jsonrpc": "2.0", "method": "count"}, {"jsonrpc": "2.0", "method": "count"}])", 204), "");
    BOOST_CHECK_EQUAL(counter.load(), 3);
}

BOOST_FIXTURE_TEST_CASE(named_parameters, TableFixture)
{
    BOOST_CHECK_EQUAL(Run(R"({"method": "echo", "params": {"arg1": "x", "arg3": 3}, "id": 1})", 200),
                      R"({"result":[null,"x",null,3],"error":null,"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "echo", "params": {"foo": 1}, "id": 1})", 500),
                      R"({"result":null,"error":{"code":-8,"message":"Unknown named parameter foo"},"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "echo", "params": {"args": ["a", "b"], "arg0": "c"}, "id": 1})", 500),
                      R"({"result":null,"error":{"code":-8,"message":"Parameter arg0 specified twice both as positional and named argument"},"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "echo", "params": {"args": ["a"], "arg2": "c"}, "id": 1})", 200),
                      R"({"result":["a",null,"c"],"error":null,"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "failwith", "params": {"code": -4}, "id": 1})", 500),
                      R"({"result":null,"error":{"code":-4,"message":"failed as asked"},"id":1})");
    BOOST_CHECK_EQUAL(Run(R"({"method": "help", "params": {"command": "nosuch"}, "id": 1})", 200),
                      R"({"result":"help: unknown command: nosuch","error":null,"id":1})");
}

BOOST_FIXTURE_TEST_CASE(warmup, TableFixture)
{
    RpcTable cold;
    RegisterControlRpcCommands(cold);
    const auto run = [&](const std::string& body) { return ExecuteHttpRpc(cold, body, JsonRpcRequest{}); };
    // Every method, help and stop included, as Bitcoin Core does.
    for (const char* m : {"help", "stop", "uptime", "getrpcinfo", "nosuchmethod"}) {
        const HttpRpcReply r = run(std::string(R"({"method": ")") + m + R"(", "id": 1})");
        BOOST_CHECK_EQUAL(r.status, 500);
        BOOST_CHECK_EQUAL(r.body, R"({"result":null,"error":{"code":-28,"message":"RPC server started"},"id":1})" "\n");
    }
    cold.SetRpcWarmupStatus("Loading block index…");
    std::string status;
    BOOST_CHECK(cold.IsInWarmup(&status));
    BOOST_CHECK_EQUAL(status, "Loading block index…");
    BOOST_CHECK_EQUAL(run(R"({"jsonrpc": "2.0", "method": "uptime", "id": 1})").body,
                      R"({"jsonrpc":"2.0","error":{"code":-28,"message":"Loading block index…"},"id":1})" "\n");
    cold.SetRpcWarmupFinished();
    BOOST_CHECK(!cold.IsInWarmup());
    BOOST_CHECK_EQUAL(run(R"({"method": "echo", "id": 1})").status, 200);
}

BOOST_FIXTURE_TEST_CASE(help_texts, TableFixture)
{
    const UniValue listing = table.Execute([] {
        JsonRpcRequest r;
        r.method = "help";
        return r;
    }());
    BOOST_CHECK_EQUAL(listing.get_str(),
                      "== Control ==\n"
                      "getmemoryinfo ( \"mode\" )\n"
                      "getrpcinfo\n"
                      "help ( \"command\" )\n"
                      "logging ( [\"include_category\",...] [\"exclude_category\",...] )\n"
                      "stop\n"
                      "uptime");
    const auto help = [&](const std::string& command) {
        JsonRpcRequest r;
        r.method = "help";
        r.params = Json("[\"" + command + "\"]");
        return table.Execute(r).get_str();
    };
    BOOST_CHECK_EQUAL(help("stop"),
                      "stop\n"
                      "\n"
                      "Request a graceful shutdown of Cairn.\n"
                      "\n"
                      "Result:\n"
                      "\"str\"    (string) A string with the content 'Cairn server stopping'\n");
    BOOST_CHECK_EQUAL(help("help"),
                      "help ( \"command\" )\n"
                      "\n"
                      "List all commands, or get help for a specified command.\n"
                      "\n"
                      "Arguments:\n"
                      "1. command    (string, optional, default=all commands) The command to get help on\n"
                      "\n"
                      "Result:\n"
                      "\"str\"    (string) The help text\n");
    BOOST_CHECK_EQUAL(help("uptime"),
                      "uptime\n"
                      "\n"
                      "Returns the total uptime of the server.\n"
                      "\n"
                      "Result:\n"
                      "n    (numeric) The number of seconds that the server has been running\n"
                      "\n"
                      "Examples:\n"
                      "> cairn-cli uptime \n"
                      "> curl --user myusername --data-binary '{\"jsonrpc\": \"2.0\", \"id\": \"curltest\", \"method\": "
                      "\"uptime\", \"params\": []}' -H 'content-type: application/json' http://127.0.0.1:8332/\n");
    // Hidden methods are not listed but have help.
    BOOST_CHECK(help("echo").rfind("echo ( \"arg0\" \"arg1\" ", 0) == 0);
    BOOST_CHECK_EQUAL(help("nosuch"), "help: unknown command: nosuch");
    const std::string logging = help("logging");
    BOOST_CHECK(logging.find("The valid logging categories are: addrman, bench, blockstorage,") != std::string::npos);
    BOOST_CHECK(logging.find("1. include                    (json array, optional) The categories to add to debug logging\n"
                             "     [\n"
                             "       \"include_category\",    (string) the valid logging category\n"
                             "       ...\n"
                             "     ]\n") != std::string::npos);

    // A wrong number of arguments answers with the help text as error -1.
    JsonRpcRequest bad;
    bad.method = "uptime";
    bad.params = Json("[1]");
    try {
        table.Execute(bad);
        BOOST_ERROR("no error");
    } catch (const RpcError& e) {
        BOOST_CHECK_EQUAL(e.Code(), RPC_MISC_ERROR);
        BOOST_CHECK_EQUAL(e.what(), help("uptime"));
    }
    // The argument table for the client.
    const UniValue map = [&] {
        JsonRpcRequest r;
        r.method = "help";
        r.params = Json(R"(["dump_all_command_conversions"])");
        return table.Execute(r);
    }();
    BOOST_CHECK(map.write().find(R"(["help",0,"command",true])") != std::string::npos);
    BOOST_CHECK(map.write().find(R"(["logging",1,"exclude",false])") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(control_methods, TableFixture)
{
    const auto call = [&](const std::string& method, const std::string& params = "[]") {
        JsonRpcRequest r;
        r.method = method;
        r.params = Json(params);
        return table.Execute(r);
    };
    const auto error = [&](const std::string& method, const std::string& params) -> std::string {
        try {
            call(method, params);
        } catch (const RpcError& e) {
            return std::to_string(e.Code()) + " " + e.what();
        }
        return "no error";
    };

    table.SetStartupTime(std::time(nullptr) - 100);
    BOOST_CHECK_GE(call("uptime").get_int64(), 100);

    const UniValue info = call("getrpcinfo");
    BOOST_REQUIRE_EQUAL(info["active_commands"].size(), 1U);
    BOOST_CHECK_EQUAL(info["active_commands"][0]["method"].get_str(), "getrpcinfo");
    BOOST_CHECK_GE(info["active_commands"][0]["duration"].get_int64(), 0);
    BOOST_CHECK(info["logpath"].isStr());

    // logging: include then exclude; the whole map comes back, sorted.
    Logger& log = Logger::Instance();
    const uint64_t saved = log.Categories();
    log.Disable(LogCategory::ALL);
    UniValue cats = call("logging", R"([["net", "http"], ["http"]])");
    BOOST_CHECK(cats["net"].isTrue());
    BOOST_CHECK(cats["http"].isFalse());
    BOOST_CHECK(cats["rpc"].isFalse());
    BOOST_CHECK(std::is_sorted(cats.getKeys().begin(), cats.getKeys().end()));
    BOOST_CHECK(!cats.exists("all"));
    cats = call("logging", R"([["all"]])");
    for (const UniValue& v : cats.getValues()) BOOST_CHECK(v.isTrue());
    cats = call("logging", R"([[], ["1"]])");
    for (const UniValue& v : cats.getValues()) BOOST_CHECK(v.isFalse());
    BOOST_CHECK_EQUAL(error("logging", R"([["nosuch"]])"), "-8 unknown logging category nosuch");
    BOOST_CHECK_EQUAL(error("logging", R"([[1]])"), "-3 JSON value of type number is not of expected type string");
    BOOST_CHECK_EQUAL(error("logging", R"(["net"])"),
                      "-3 Wrong type passed:\n{\n    \"Position 1 (include)\": \"JSON value of type string is not of expected type array\"\n}");
    log.Disable(LogCategory::ALL);
    log.Enable(LogCategory(saved));

    const UniValue mem = call("getmemoryinfo");
    BOOST_CHECK_EQUAL(mem.write(), R"({"locked":{"used":0,"free":0,"total":0,"locked":0,"chunks_used":0,"chunks_free":0}})");
    BOOST_CHECK(call("getmemoryinfo", R"(["mallocinfo"])").get_str().rfind("<malloc version=", 0) == 0);
    BOOST_CHECK_EQUAL(error("getmemoryinfo", R"(["other"])"), "-8 unknown mode other");

    BOOST_CHECK_EQUAL(call("echo", R"([1, "two", {"three": 3}])").write(), R"([1,"two",{"three":3}])");
    BOOST_CHECK_EQUAL(call("echojson", R"([[1]])").write(), "[[1]]");
    BOOST_CHECK(error("echo", R"([0,1,2,3,4,5,6,7,8,"trigger_internal_bug"])").rfind("-1 Internal bug detected", 0) == 0);
    BOOST_CHECK(error("echo", "[0,1,2,3,4,5,6,7,8,9,10]").rfind("-1 echo ( ", 0) == 0);

    // No shutdown handler set in this table.
    BOOST_CHECK(error("stop", "[]").rfind("-1 Internal bug detected", 0) == 0);
}

BOOST_AUTO_TEST_CASE(authentication)
{
    RpcFixture f;
    const std::string body = R"({"jsonrpc": "2.0", "method": "walletname", "id": 1})";
    const auto post = [&](std::optional<std::string> authorization, const std::string& method = "POST") {
        HttpClient c(f.port);
        std::vector<std::pair<std::string, std::string>> headers;
        if (authorization) headers.emplace_back("Authorization", *authorization);
        auto r = c.Request(method, "/", body, headers);
        BOOST_REQUIRE(r);
        return *r;
    };

    // No credentials: 401 at once, with the challenge.
    HttpResponse r = post(std::nullopt);
    BOOST_CHECK_EQUAL(r.status, 401);
    BOOST_CHECK_EQUAL(r.Header("www-authenticate"), "Basic realm=\"jsonrpc\"");
    BOOST_CHECK(r.body.empty());

    // Wrong credentials: 401 after the delay.
    for (const std::string& bad : {BasicAuth("user", "wrong"), BasicAuth("nobody", "pass word"), BasicAuth(RPCAUTH_USER, "x"),
                                   std::string("Basic !!!"), std::string("Bearer abc"), BasicAuth("__cookie__", "0")}) {
        const auto start = std::chrono::steady_clock::now();
        r = post(bad);
        BOOST_CHECK_EQUAL(r.status, 401);
        BOOST_CHECK_EQUAL(r.Header("www-authenticate"), "Basic realm=\"jsonrpc\"");
        BOOST_CHECK(std::chrono::steady_clock::now() - start >= 250ms);
    }

    // Cookie, -rpcuser/-rpcpassword and -rpcauth credentials.
    r = post(f.CookieAuth());
    BOOST_CHECK_EQUAL(r.status, 200);
    BOOST_CHECK_EQUAL(r.Header("content-type"), "application/json");
    BOOST_CHECK_EQUAL(r.body, R"({"jsonrpc":"2.0","result":{"wallet":null,"user":"__cookie__","uri":"/"},"id":1})" "\n");
    r = post(BasicAuth("user", "pass word"));
    BOOST_CHECK_EQUAL(r.status, 200);
    BOOST_CHECK(r.body.find(R"("user":"user")") != std::string::npos);
    r = post(BasicAuth(RPCAUTH_USER, RPCAUTH_PASSWORD));
    BOOST_CHECK_EQUAL(r.status, 200);
    BOOST_CHECK(r.body.find(R"("user":"alice")") != std::string::npos);

    // Only POST.
    r = post(f.CookieAuth(), "GET");
    BOOST_CHECK_EQUAL(r.status, 405);
    BOOST_CHECK_EQUAL(r.body, "JSONRPC server handles only POST requests");

    // Several calls on one keep-alive connection, and the wallet endpoint.
    HttpClient c(f.port);
    for (const char* path : {"/", "/wallet/my%20wallet", "/wallet/", "/wallet/a%2Fb%zz"}) {
        auto reply = c.Request("POST", path, body, {{"Authorization", f.CookieAuth()}});
        BOOST_REQUIRE(reply);
        BOOST_CHECK_EQUAL(reply->status, 200);
        UniValue v;
        BOOST_REQUIRE(v.read(reply->body));
        const UniValue& wallet = v["result"]["wallet"];
        if (std::string(path) == "/") {
            BOOST_CHECK(wallet.isNull());
        } else if (std::string(path) == "/wallet/my%20wallet") {
            BOOST_CHECK_EQUAL(wallet.get_str(), "my wallet");
        } else if (std::string(path) == "/wallet/") {
            BOOST_CHECK_EQUAL(wallet.get_str(), "");
        } else {
            BOOST_CHECK_EQUAL(wallet.get_str(), "a/b%zz");
        }
    }
    // Other paths are not RPC.
    auto other = c.Request("POST", "/rest/chaininfo.json", body, {{"Authorization", f.CookieAuth()}});
    BOOST_REQUIRE(other);
    BOOST_CHECK_EQUAL(other->status, 404);
}

BOOST_AUTO_TEST_CASE(shapes_over_http)
{
    RpcFixture f;
    // Legacy.
    HttpResponse r = f.Post(R"({"method": "uptime", "id": 1})");
    BOOST_CHECK_EQUAL(r.status, 200);
    UniValue v = Json(r.body);
    BOOST_CHECK(v.exists("result") && v.exists("error") && v.exists("id") && !v.exists("jsonrpc"));
    r = f.Post(R"({"method": "nosuchmethod", "id": 1})");
    BOOST_CHECK_EQUAL(r.status, 404);
    BOOST_CHECK_EQUAL(r.body, R"({"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1})" "\n");
    r = f.Post(R"({"method": "uptime", "params": ["x"], "id": 1})");
    BOOST_CHECK_EQUAL(r.status, 500);
    r = f.Post("this is bad");
    BOOST_CHECK_EQUAL(r.status, 500);
    BOOST_CHECK_EQUAL(r.body, R"({"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null})" "\n");
    BOOST_CHECK_EQUAL(r.Header("content-type"), "application/json");
    // 2.0.
    r = f.Post(R"({"jsonrpc": "2.0", "method": "uptime", "id": "a"})");
    BOOST_CHECK_EQUAL(r.status, 200);
    v = Json(r.body);
    BOOST_CHECK(v.exists("result") && !v.exists("error"));
    BOOST_CHECK_EQUAL(v["jsonrpc"].get_str(), "2.0");
    r = f.Post(R"({"jsonrpc": "2.0", "method": "nosuchmethod", "id": "a"})");
    BOOST_CHECK_EQUAL(r.status, 200);
    v = Json(r.body);
    BOOST_CHECK(!v.exists("result") && v.exists("error"));
    // Notification: 204 without a body, and it ran.
    r = f.Post(R"({"jsonrpc": "2.0", "method": "count"})");
    BOOST_CHECK_EQUAL(r.status, 204);
    BOOST_CHECK(r.body.empty());
    BOOST_CHECK_EQUAL(f.counter.load(), 1);
    // Batch.
    r = f.Post(R"([{"jsonrpc": "2.0", "method": "count", "id": 1}, {"method": "nosuchmethod", "id": 2}, {"jsonrpc": "2.0", "method": "count"}])");
    BOOST_CHECK_EQUAL(r.status, 200);
    BOOST_CHECK_EQUAL(r.body, R"([{"jsonrpc":"2.0","result":2,"id":1},{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":2}])" "\n");
    BOOST_CHECK_EQUAL(f.counter.load(), 3);
    // Named parameters and help over the wire.
    v = f.Call(R"({"jsonrpc": "2.0", "method": "help", "params": {"command": "stop"}, "id": 1})");
    BOOST_CHECK(v["result"].get_str().rfind("stop\n\nRequest a graceful shutdown of Cairn.", 0) == 0);
    v = f.Call(R"({"jsonrpc": "2.0", "method": "echo", "params": {"arg2": 5}, "id": 1})");
    BOOST_CHECK_EQUAL(v["result"].write(), "[null,null,5]");
    // Amount-like numbers keep their text through the server.
    v = f.Call(R"({"jsonrpc": "2.0", "method": "echo", "params": [0.00000001, 1e-8, 21000000.00000000], "id": 1})");
    BOOST_CHECK_EQUAL(v["result"].write(), "[0.00000001,1e-8,21000000.00000000]");
}

BOOST_AUTO_TEST_CASE(huge_body)
{
    RpcFixture f(4, 16, /*max_body=*/1 << 20);
    {
        HttpClient c(f.port);
        BOOST_REQUIRE(c.Send("POST", "/", "", {{"Authorization", f.CookieAuth()}, {"Content-Length", std::to_string(33 << 20)}}));
        auto r = c.Read();
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 413);
    }
    {
        // A body just over the limit, sent in full.
        HttpClient c(f.port);
        const std::string big = R"({"method": "echo", "params": [")" + std::string(1 << 20, 'x') + R"("], "id": 1})";
        c.Send("POST", "/", big, {{"Authorization", f.CookieAuth()}});
        auto r = c.Read();
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 413);
    }
    // Still serving, and a body under the limit is fine.
    const UniValue v = f.Call(R"({"method": "echo", "params": [")" + std::string(1000, 'y') + R"("], "id": 1})");
    BOOST_CHECK_EQUAL(v["result"][0].get_str().size(), 1000U);
}

BOOST_AUTO_TEST_CASE(work_queue_exceeded)
{
    RpcFixture f(/*threads=*/1, /*depth=*/1);
    const std::string slow = R"({"jsonrpc": "2.0", "method": "slowtest", "id": 1})";
    HttpClient busy(f.port), queued(f.port);
    BOOST_REQUIRE(busy.Send("POST", "/", slow, {{"Authorization", f.CookieAuth()}}));
    BOOST_REQUIRE(f.gate.WaitEntered(1));
    BOOST_REQUIRE(queued.Send("POST", "/", slow, {{"Authorization", f.CookieAuth()}}));
    for (int i = 0; i < 500 && f.http.QueueDepth() < 1; ++i) std::this_thread::sleep_for(10ms);
    BOOST_REQUIRE_EQUAL(f.http.QueueDepth(), 1U);

    const HttpResponse refused = f.Post(R"({"method": "uptime", "id": 1})");
    BOOST_CHECK_EQUAL(refused.status, 503);
    BOOST_CHECK_EQUAL(refused.body, "Work queue depth exceeded");

    f.gate.Open();
    auto a = busy.Read();
    auto b = queued.Read();
    BOOST_REQUIRE(a && b);
    BOOST_CHECK_EQUAL(a->body, R"({"jsonrpc":"2.0","result":"slow done","id":1})" "\n");
    BOOST_CHECK_EQUAL(b->status, 200);
    BOOST_CHECK_EQUAL(f.Post(R"({"method": "uptime", "id": 1})").status, 200);
}

BOOST_AUTO_TEST_CASE(getrpcinfo_sees_running_calls)
{
    RpcFixture f;
    HttpClient busy(f.port);
    BOOST_REQUIRE(busy.Send("POST", "/", R"({"method": "slowtest", "id": 1})", {{"Authorization", f.CookieAuth()}}));
    BOOST_REQUIRE(f.gate.WaitEntered(1));
    const UniValue v = f.Call(R"({"method": "getrpcinfo", "id": 1})");
    const UniValue& active = v["result"]["active_commands"];
    BOOST_REQUIRE_EQUAL(active.size(), 2U);
    BOOST_CHECK_EQUAL(active[0]["method"].get_str(), "slowtest");
    BOOST_CHECK_EQUAL(active[1]["method"].get_str(), "getrpcinfo");
    BOOST_CHECK_EQUAL(v["result"]["logpath"].get_str(), "/tmp/debug.log");
    f.gate.Open();
    BOOST_REQUIRE(busy.Read());
}

BOOST_AUTO_TEST_CASE(flood)
{
    RpcFixture f(/*threads=*/4, /*depth=*/64);
    constexpr int THREADS = 20;
    constexpr int PER_THREAD = 10;
    std::atomic<int> ok{0}, busy{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < THREADS; ++t) {
        threads.emplace_back([&, t] {
            std::vector<std::unique_ptr<HttpClient>> clients;
            for (int i = 0; i < PER_THREAD; ++i) clients.push_back(std::make_unique<HttpClient>(f.port));
            for (int i = 0; i < PER_THREAD; ++i) {
                const std::string body = R"({"jsonrpc": "2.0", "method": "echo", "params": [)" + std::to_string(t * 100 + i) + R"(], "id": 1})";
                if (!clients[i]->Send("POST", "/", body, {{"Authorization", f.CookieAuth()}})) ++failed;
            }
            for (int i = 0; i < PER_THREAD; ++i) {
                auto r = clients[i]->Read();
                if (!r) {
                    ++failed;
                } else if (r->status == 200 &&
                           r->body == R"({"jsonrpc":"2.0","result":[)" + std::to_string(t * 100 + i) + R"(],"id":1})" "\n") {
                    ++ok;
                } else if (r->status == 503) {
                    ++busy;
                } else {
                    ++failed;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    BOOST_CHECK_EQUAL(failed.load(), 0);
    BOOST_CHECK_EQUAL(ok.load() + busy.load(), THREADS * PER_THREAD);
    BOOST_CHECK_GT(ok.load(), 0);
    BOOST_CHECK_EQUAL(f.Post(R"({"method": "uptime", "id": 1})").status, 200);
}

BOOST_AUTO_TEST_CASE(stop_requests_shutdown)
{
    RpcFixture f;
    HttpClient c(f.port);
    auto r = c.Request("POST", "/", R"({"method": "stop", "id": 1})", {{"Authorization", f.CookieAuth()}});
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(r->status, 200);
    BOOST_CHECK_EQUAL(r->body, R"({"result":"Cairn server stopping","error":null,"id":1})" "\n");
    BOOST_CHECK_EQUAL(f.shutdown_requests.load(), 1);
    // The node then stops the server; a reply under way still arrives.
    BOOST_REQUIRE(c.Send("POST", "/", R"({"method": "stop", "params": [300], "id": 2})", {{"Authorization", f.CookieAuth()}}));
    std::this_thread::sleep_for(100ms);
    f.http.Interrupt();
    f.http.Stop();
    auto last = c.Read();
    BOOST_REQUIRE(last);
    BOOST_CHECK_EQUAL(last->body, R"({"result":"Cairn server stopping","error":null,"id":2})" "\n");
    BOOST_CHECK_EQUAL(f.shutdown_requests.load(), 2);
}

BOOST_AUTO_TEST_CASE(url_decode)
{
    BOOST_CHECK_EQUAL(UrlDecode(""), "");
    BOOST_CHECK_EQUAL(UrlDecode("abc"), "abc");
    BOOST_CHECK_EQUAL(UrlDecode("a%20b"), "a b");
    BOOST_CHECK_EQUAL(UrlDecode("%41%42"), "AB");
    BOOST_CHECK_EQUAL(UrlDecode("a+b"), "a+b");
    BOOST_CHECK_EQUAL(UrlDecode("%zz%4"), "%zz%4");
    BOOST_CHECK_EQUAL(UrlDecode("%2f%2F"), "//");
    BOOST_CHECK_EQUAL(UrlDecode("%"), "%");
    BOOST_CHECK_EQUAL(UrlDecode("%%41"), "%A");
}

BOOST_AUTO_TEST_SUITE_END()
