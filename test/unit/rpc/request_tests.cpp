// Tests for rpc/request.h: parsing request objects and the two reply shapes.
#include "rpc/request.h"
#include "util/log.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

UniValue Json(const std::string& s)
{
    UniValue v;
    if (!v.read(s)) throw std::runtime_error("bad test JSON: " + s);
    return v;
}

/** The RpcError Parse throws for `text`, as "code message". */
std::string ParseError(const std::string& text, JsonRpcRequest* out = nullptr)
{
    JsonRpcRequest req;
    try {
        req.Parse(Json(text));
    } catch (const RpcError& e) {
        if (out) *out = req;
        return std::to_string(e.Code()) + " " + e.what();
    }
    if (out) *out = req;
    return "ok";
}

} // namespace

BOOST_AUTO_TEST_SUITE(request_tests)

BOOST_AUTO_TEST_CASE(parse_valid)
{
    JsonRpcRequest req;
    req.Parse(Json(R"({"method": "getblockhash", "params": [0], "id": 7})"));
    BOOST_CHECK_EQUAL(req.method, "getblockhash");
    BOOST_CHECK_EQUAL(req.params.write(), "[0]");
    BOOST_REQUIRE(req.id);
    BOOST_CHECK_EQUAL(req.id->write(), "7");
    BOOST_CHECK(req.json_version == JsonRpcVersion::V1_LEGACY);
    BOOST_CHECK(!req.IsNotification());

    req.Parse(Json(R"({"jsonrpc": "2.0", "method": "m", "params": {"a": 1}, "id": "x"})"));
    BOOST_CHECK(req.json_version == JsonRpcVersion::V2);
    BOOST_CHECK(req.params.isObject());
    BOOST_CHECK_EQUAL(req.id->write(), "\"x\"");

    // "jsonrpc": "1.0" is legacy; missing params are an empty array.
    req.Parse(Json(R"({"jsonrpc": "1.0", "method": "m"})"));
    BOOST_CHECK(req.json_version == JsonRpcVersion::V1_LEGACY);
    BOOST_CHECK_EQUAL(req.params.write(), "[]");
    BOOST_CHECK(!req.id); // no id: none in the reply either
    BOOST_CHECK(!req.IsNotification());

    // A 2.0 request without id is a notification; with "id": null it is not.
    req.Parse(Json(R"({"jsonrpc": "2.0", "method": "m"})"));
    BOOST_CHECK(req.IsNotification());
    req.Parse(Json(R"({"jsonrpc": "2.0", "method": "m", "id": null})"));
    BOOST_CHECK(!req.IsNotification());
    req.Parse(Json(R"({"method": "m", "params": null})"));
    BOOST_CHECK_EQUAL(req.params.write(), "[]");
}

BOOST_AUTO_TEST_CASE(parse_errors)
{
    Logger::Instance().SetQuiet(true);
    BOOST_CHECK_EQUAL(ParseError("[]"), "-32600 Invalid Request object");
    BOOST_CHECK_EQUAL(ParseError("17"), "-32600 Invalid Request object");
    BOOST_CHECK_EQUAL(ParseError(R"({"jsonrpc": 2, "method": "m"})"), "-32600 jsonrpc field must be a string");
    BOOST_CHECK_EQUAL(ParseError(R"({"jsonrpc": "3.0", "method": "m"})"), "-32600 JSON-RPC version not supported");
    BOOST_CHECK_EQUAL(ParseError(R"({"jsonrpc": "2.0"})"), "-32600 Missing method");
    BOOST_CHECK_EQUAL(ParseError(R"({"method": null})"), "-32600 Missing method");
    BOOST_CHECK_EQUAL(ParseError(R"({"method": 1})"), "-32600 Method must be a string");
    BOOST_CHECK_EQUAL(ParseError(R"({"method": "m", "params": 1})"), "-32600 Params must be an array or object");
    BOOST_CHECK_EQUAL(ParseError(R"({"method": "m", "params": "x"})"), "-32600 Params must be an array or object");

    // The id and the version are known before the failure.
    JsonRpcRequest req;
    ParseError(R"({"jsonrpc": "2.0", "id": 5, "method": 3})", &req);
    BOOST_CHECK(req.json_version == JsonRpcVersion::V2);
    BOOST_CHECK_EQUAL(req.id->write(), "5");
    Logger::Instance().SetQuiet(false);
}

BOOST_AUTO_TEST_CASE(reply_shapes)
{
    const UniValue id(7);
    const UniValue err = JsonRpcErrorObj(RPC_INVALID_PARAMETER, "bad");
    BOOST_CHECK_EQUAL(err.write(), R"({"code":-8,"message":"bad"})");

    // Legacy: result, error and id are all present.
    BOOST_CHECK_EQUAL(JsonRpcReplyObj(UniValue("ok"), UniValue(), id, JsonRpcVersion::V1_LEGACY).write(),
                      R"({"result":"ok","error":null,"id":7})");
    BOOST_CHECK_EQUAL(JsonRpcReplyObj(UniValue(), err, id, JsonRpcVersion::V1_LEGACY).write(),
                      R"({"result":null,"error":{"code":-8,"message":"bad"},"id":7})");
    // A null result is still a result.
    BOOST_CHECK_EQUAL(JsonRpcReplyObj(UniValue(), UniValue(), UniValue(), JsonRpcVersion::V1_LEGACY).write(),
                      R"({"result":null,"error":null,"id":null})");
    // 2.0: one of result and error, never both.
    BOOST_CHECK_EQUAL(JsonRpcReplyObj(UniValue(), UniValue(), id, JsonRpcVersion::V2).write(),
                      R"({"jsonrpc":"2.0","result":null,"id":7})");
    BOOST_CHECK_EQUAL(JsonRpcReplyObj(UniValue(), err, id, JsonRpcVersion::V2).write(),
                      R"({"jsonrpc":"2.0","error":{"code":-8,"message":"bad"},"id":7})");
    // No id in the request: none in the reply.
    BOOST_CHECK_EQUAL(JsonRpcReplyObj(UniValue(1), UniValue(), std::nullopt, JsonRpcVersion::V1_LEGACY).write(),
                      R"({"result":1,"error":null})");

    BOOST_CHECK_EQUAL(HttpStatusForRpcError(RPC_INVALID_REQUEST), 400);
    BOOST_CHECK_EQUAL(HttpStatusForRpcError(RPC_METHOD_NOT_FOUND), 404);
    BOOST_CHECK_EQUAL(HttpStatusForRpcError(RPC_PARSE_ERROR), 500);
    BOOST_CHECK_EQUAL(HttpStatusForRpcError(RPC_INVALID_PARAMETER), 500);
    BOOST_CHECK_EQUAL(HttpStatusForRpcError(RPC_MISC_ERROR), 500);

    BOOST_CHECK_EQUAL(JsonRpcRequestObj("m", UniValue(UniValue::VARR), UniValue(1)).write(),
                      R"({"method":"m","params":[],"id":1,"jsonrpc":"2.0"})");

    const RpcError e(RPC_IN_WARMUP, "Loading");
    BOOST_CHECK_EQUAL(e.Code(), -28);
    BOOST_CHECK_EQUAL(e.ToJson().write(), R"({"code":-28,"message":"Loading"})");
}

BOOST_AUTO_TEST_CASE(error_codes)
{
    // Clients switch on these numbers: they must be Core's.
    BOOST_CHECK_EQUAL(RPC_INVALID_REQUEST, -32600);
    BOOST_CHECK_EQUAL(RPC_METHOD_NOT_FOUND, -32601);
    BOOST_CHECK_EQUAL(RPC_INVALID_PARAMS, -32602);
    BOOST_CHECK_EQUAL(RPC_INTERNAL_ERROR, -32603);
    BOOST_CHECK_EQUAL(RPC_PARSE_ERROR, -32700);
    BOOST_CHECK_EQUAL(RPC_MISC_ERROR, -1);
    BOOST_CHECK_EQUAL(RPC_TYPE_ERROR, -3);
    BOOST_CHECK_EQUAL(RPC_WALLET_ERROR, -4);
    BOOST_CHECK_EQUAL(RPC_INVALID_ADDRESS_OR_KEY, -5);
    BOOST_CHECK_EQUAL(RPC_OUT_OF_MEMORY, -7);
    BOOST_CHECK_EQUAL(RPC_INVALID_PARAMETER, -8);
    BOOST_CHECK_EQUAL(RPC_CLIENT_NOT_CONNECTED, -9);
    BOOST_CHECK_EQUAL(RPC_CLIENT_IN_INITIAL_DOWNLOAD, -10);
    BOOST_CHECK_EQUAL(RPC_WALLET_NOT_FOUND, -18);
    BOOST_CHECK_EQUAL(RPC_DATABASE_ERROR, -20);
    BOOST_CHECK_EQUAL(RPC_DESERIALIZATION_ERROR, -22);
    BOOST_CHECK_EQUAL(RPC_VERIFY_ERROR, -25);
    BOOST_CHECK_EQUAL(RPC_VERIFY_REJECTED, -26);
    BOOST_CHECK_EQUAL(RPC_VERIFY_ALREADY_IN_UTXO_SET, -27);
    BOOST_CHECK_EQUAL(RPC_IN_WARMUP, -28);
    BOOST_CHECK_EQUAL(RPC_CLIENT_NODE_NOT_CONNECTED, -29);
    BOOST_CHECK_EQUAL(RPC_METHOD_DEPRECATED, -32);
    BOOST_CHECK_EQUAL(RPC_CLIENT_MEMPOOL_DISABLED, -33);
    BOOST_CHECK_EQUAL(RPC_CLIENT_NODE_CAPACITY_REACHED, -34);
    BOOST_CHECK_EQUAL(RPC_WALLET_ALREADY_EXISTS, -36);
    BOOST_CHECK_EQUAL(RPC_TRANSACTION_ALREADY_IN_CHAIN, RPC_VERIFY_ALREADY_IN_UTXO_SET);
}

BOOST_AUTO_TEST_SUITE_END()
