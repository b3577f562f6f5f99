// Tests for rpc/util.h: help text layout, argument checks, named
// parameters, amounts.
#include "rpc/util.h"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace cairn;

namespace {

UniValue Json(const std::string& s)
{
    UniValue v;
    if (!v.read(s)) throw std::runtime_error("bad test JSON: " + s);
    return v;
}

/** "code message" of the RpcError `f` throws, or "no error". */
std::string ErrorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const RpcError& e) {
        return std::to_string(e.Code()) + " " + e.what();
    }
    return "no error";
}

std::string Transform(const std::string& params, const std::vector<std::pair<std::string, bool>>& names)
{
    try {
        return TransformNamedParams(Json(params), names).write();
    } catch (const RpcError& e) {
        return std::to_string(e.Code()) + " " + e.what();
    }
}

RpcMethod NoOp(std::string name, std::vector<RpcArg> args, RpcResults results = RpcResult{RpcResult::Type::NONE, "", ""})
{
    return RpcMethod{std::move(name), "Does nothing.", std::move(args), std::move(results), RpcExamples{""},
                     [](const RpcMethod&, const JsonRpcRequest& r) -> UniValue { return r.params; }};
}

} // namespace

BOOST_AUTO_TEST_SUITE(rpc_util_tests)

BOOST_AUTO_TEST_CASE(help_simple)
{
    const RpcMethod m{"getblockhash",
                      "\nReturns hash of block in best-block-chain at height provided.\n",
                      {{"height", RpcArg::Type::NUM, RpcArg::Optional::NO, "The height index"}},
                      RpcResult{RpcResult::Type::STR_HEX, "", "The block hash"},
                      RpcExamples{HelpExampleCli("getblockhash", "1000") + HelpExampleRpc("getblockhash", "1000")},
                      [](const RpcMethod&, const JsonRpcRequest&) -> UniValue { return UniValue(); }};
    BOOST_CHECK_EQUAL(m.ToString(),
                      "getblockhash height\n"
                      "\n"
                      "Returns hash of block in best-block-chain at height provided.\n"
                      "\n"
                      "Arguments:\n"
                      "1. height    (numeric, required) The height index\n"
                      "\n"
                      "Result:\n"
                      "\"hex\"    (string) The block hash\n"
                      "\n"
                      "Examples:\n"
                      "> cairn-cli getblockhash 1000\n"
                      "> curl --user myusername --data-binary '{\"jsonrpc\": \"2.0\", \"id\": \"curltest\", \"method\": "
                      "\"getblockhash\", \"params\": [1000]}' -H 'content-type: application/json' http://127.0.0.1:8332/\n");
}

BOOST_AUTO_TEST_CASE(help_summary_line)
{
    const auto summary = [](std::vector<RpcArg> args) {
        const std::string text = NoOp("m", std::move(args)).ToString();
        return text.substr(0, text.find('\n'));
    };
    using T = RpcArg::Type;
    using O = RpcArg::Optional;
    BOOST_CHECK_EQUAL(summary({}), "m");
    BOOST_CHECK_EQUAL(summary({{"a", T::STR, O::NO, ""}, {"b", T::NUM, O::OMITTED, ""}, {"c", T::BOOL, O::NO, ""}}),
                      "m \"a\" ( b ) c");
    BOOST_CHECK_EQUAL(summary({{"a", T::STR_HEX, RpcArg::Default{"x"}, ""}, {"b", T::AMOUNT, RpcArg::DefaultHint{"y"}, ""}}),
                      "m ( \"a\" b )");
    // A hidden argument hides itself and everything after it.
    BOOST_CHECK_EQUAL(summary({{"a", T::NUM, O::NO, ""}, {"h", T::NUM, O::OMITTED, "", RpcArgOptions{.hidden = true}}}), "m a");
    BOOST_CHECK_EQUAL(summary({{"a|alias", T::RANGE, O::NO, ""}}), "m a");
    BOOST_CHECK_EQUAL(summary({{"a", T::NUM, O::NO, "", RpcArgOptions{.oneline_description = "\"custom\""}}}), "m \"custom\"");
    BOOST_CHECK_EQUAL(summary({{"list", T::ARR, O::NO, "", {{"item", T::STR, O::OMITTED, ""}}},
                               {"obj", T::OBJ, O::OMITTED, "", {{"k", T::NUM, O::NO, ""}, {"s", T::STR_HEX, O::NO, ""}}},
                               {"dyn", T::OBJ_USER_KEYS, O::OMITTED, "", {{"key", T::AMOUNT, O::NO, ""}}}}),
                      "m [\"item\",...] ( {\"k\":n,\"s\":\"hex\"} {\"key\":amount,...} )");
}

BOOST_AUTO_TEST_CASE(help_nested)
{
    using T = RpcArg::Type;
    using O = RpcArg::Optional;
    using R = RpcResult::Type;
    const RpcMethod m = NoOp(
        "nested",
        {
            {"include", T::ARR, O::OMITTED, "The categories to add",
             {
                 {"include_category", T::STR, O::OMITTED, "the valid logging category"},
             }},
            {"options", T::OBJ, RpcArg::Default{UniValue(UniValue::VOBJ)}, "Options",
             {
                 {"flag", T::BOOL, RpcArg::Default{false}, "A flag"},
                 {"fee", T::AMOUNT, O::OMITTED, "Fee,\n  in BTC"},
             }},
        },
        RpcResult{R::OBJ, "", "",
                  {
                      {R::NUM, "height", "The height"},
                      {R::STR_AMOUNT, "fee", /*optional=*/true, "The fee"},
                      {R::ARR, "list", "A list", {{R::STR_HEX, "", "txid"}}},
                      {R::OBJ_DYN, "map", "A map", {{R::BOOL, "key", "value"}}},
                      {R::NUM_TIME, "time", "A time"},
                  }});
    BOOST_CHECK_EQUAL(m.ToString(),
                      "nested ( [\"include_category\",...] {\"flag\":bool,\"fee\":amount} )\n"
                      "\n"
                      "Does nothing.\n"
                      "\n"
                      "Arguments:\n"
                      "1. include                    (json array, optional) The categories to add\n"
                      "     [\n"
                      "       \"include_category\",    (string) the valid logging category\n"
                      "       ...\n"
                      "     ]\n"
                      "2. options                    (json object, optional, default={}) Options\n"
                      "     {\n"
                      "       \"flag\": bool,          (boolean, optional, default=false) A flag\n"
                      "       \"fee\": amount,         (numeric or string, optional) Fee,\n"
                      "                              in BTC\n"
                      "     }\n"
                      "\n"
                      "Result:\n"
                      "{                          (json object)\n"
                      "  \"height\" : n,            (numeric) The height\n"
                      "  \"fee\" : n,               (numeric, optional) The fee\n"
                      "  \"list\" : [               (json array) A list\n"
                      "    \"hex\",                 (string) txid\n"
                      "    ...\n"
                      "  ],\n"
                      "  \"map\" : {                (json object) A map\n"
                      "    \"key\" : true|false,    (boolean) value\n"
                      "    ...\n"
                      "  },\n"
                      "  \"time\" : xxx             (numeric) A time\n"
                      "}\n");
}

BOOST_AUTO_TEST_CASE(help_named_only_and_conditional_results)
{
    using T = RpcArg::Type;
    using O = RpcArg::Optional;
    using R = RpcResult::Type;
    const RpcMethod m = NoOp("send",
                             {
                                 {"dest", T::STR, O::NO, "Where"},
                                 {"options", T::OBJ_NAMED_PARAMS, O::OMITTED, "",
                                  {
                                      {"fee_rate", T::AMOUNT, O::OMITTED, "Rate"},
                                  }},
                             },
                             {
                                 RpcResult{"if verbose", R::OBJ, "", "", {{R::STR, "a", "A"}}},
                                 RpcResult{"otherwise", R::STR, "", "Text"},
                                 RpcResult{R::ANY, "", ""},
                             });
    BOOST_CHECK_EQUAL(m.ToString(),
                      "send \"dest\" ( {\"fee_rate\":amount,...} )\n"
                      "\n"
                      "Does nothing.\n"
                      "\n"
                      "Arguments:\n"
                      "1. dest       (string, required) Where\n"
                      "2. options    (json object, optional) Options object that can be used to pass named arguments, listed below.\n"
                      "\n"
                      "Named Arguments:\n"
                      "fee_rate    (numeric or string, optional) Rate\n"
                      "\n"
                      "Result (if verbose):\n"
                      "{                 (json object)\n"
                      "  \"a\" : \"str\"     (string) A\n"
                      "}\n"
                      "\n"
                      "Result (otherwise):\n"
                      "\"str\"    (string) Text\n");
    BOOST_CHECK(m.GetArgNames() == (std::vector<std::pair<std::string, bool>>{{"dest", false}, {"fee_rate", true}, {"options", false}}));
    BOOST_CHECK_EQUAL(m.GetArgMap().write(), R"([["send",0,"dest",true],["send",1,"options",false],["send",1,"fee_rate",false]])");
}

BOOST_AUTO_TEST_CASE(argument_checks)
{
    using T = RpcArg::Type;
    using O = RpcArg::Optional;
    const RpcMethod m = NoOp("check", {
                                          {"n", T::NUM, O::NO, ""},
                                          {"s", T::STR, O::OMITTED, ""},
                                          {"b", T::BOOL, RpcArg::Default{true}, ""},
                                          {"any", T::AMOUNT, O::OMITTED, ""},
                                      });
    JsonRpcRequest req;
    req.params = Json("[1]");
    BOOST_CHECK_EQUAL(m.HandleRequest(req).write(), "[1]");
    req.params = Json(R"([1, null, false, "0.1"])");
    BOOST_CHECK_NO_THROW(m.HandleRequest(req));

    // Wrong count: the help text, as a plain exception (the table makes it -1).
    req.params = Json("[]");
    BOOST_CHECK_EXCEPTION(m.HandleRequest(req), std::runtime_error,
                          [&](const std::runtime_error& e) { return e.what() == m.ToString(); });
    req.params = Json("[1, 2, 3, 4, 5]");
    BOOST_CHECK_THROW(m.HandleRequest(req), std::runtime_error);

    // Wrong types: -3 with every mismatch listed.
    req.params = Json(R"(["1", 2])");
    BOOST_CHECK_EQUAL(ErrorOf([&] { m.HandleRequest(req); }),
                      "-3 Wrong type passed:\n{\n"
                      "    \"Position 1 (n)\": \"JSON value of type string is not of expected type number\",\n"
                      "    \"Position 2 (s)\": \"JSON value of type number is not of expected type string\"\n}");
    // A required argument may not be null.
    req.params = Json("[null]");
    BOOST_CHECK_EQUAL(ErrorOf([&] { m.HandleRequest(req); }),
                      "-3 Wrong type passed:\n{\n    \"Position 1 (n)\": \"JSON value of type null is not of expected type number\"\n}");

    // Help mode returns the help whatever the params.
    req.params = Json(R"(["bad"])");
    req.mode = JsonRpcRequest::Mode::GET_HELP;
    BOOST_CHECK_THROW(m.HandleRequest(req), std::runtime_error);

    BOOST_CHECK(m.IsValidNumArgs(1) && m.IsValidNumArgs(4) && !m.IsValidNumArgs(0) && !m.IsValidNumArgs(5));
    BOOST_CHECK_EQUAL(m.GetParamIndex("b"), 2U);
    BOOST_CHECK_THROW(m.GetParamIndex("zzz"), std::logic_error);

    // Duplicate names and defaults of the wrong type are programming errors.
    BOOST_CHECK_THROW(NoOp("dup", {{"a", T::NUM, O::NO, ""}, {"a", T::STR, O::NO, ""}}), std::logic_error);
    BOOST_CHECK_THROW(NoOp("dup", {{"a|b", T::NUM, O::NO, ""}, {"b", T::STR, O::NO, ""}}), std::logic_error);
    BOOST_CHECK_THROW(NoOp("def", {{"a", T::NUM, RpcArg::Default{"text"}, ""}}), std::logic_error);
}

BOOST_AUTO_TEST_CASE(typed_arguments)
{
    using T = RpcArg::Type;
    using O = RpcArg::Optional;
    const RpcMethod m = NoOp("typed", {
                                          {"n", T::NUM, RpcArg::Default{5}, ""},
                                          {"s", T::STR, RpcArg::Default{"dflt"}, ""},
                                          {"b", T::BOOL, O::OMITTED, ""},
                                          {"big", T::NUM, O::OMITTED, ""},
                                      });
    JsonRpcRequest req;
    req.params = Json("[]");
    {
        const RpcArgs args{m, req};
        BOOST_CHECK_EQUAL(args.GetInt<int>(0), 5);
        BOOST_CHECK_EQUAL(args.GetStr(1), "dflt");
        BOOST_CHECK(!args.MaybeBool(2));
        BOOST_CHECK(!args.Has(0));
        BOOST_CHECK(args.Get(3).isNull());
        BOOST_CHECK(!args.MaybeInt<int64_t>(3));
        BOOST_CHECK_EQUAL(args.Get("s").get_str(), "dflt");
    }
    req.params = Json(R"([7, "x", true, 3000000000])");
    {
        const RpcArgs args{m, req};
        BOOST_CHECK_EQUAL(args.GetInt<int>(0), 7);
        BOOST_CHECK_EQUAL(args.GetStr(1), "x");
        BOOST_CHECK_EQUAL(args.MaybeBool(2).value(), true);
        BOOST_CHECK_EQUAL(args.GetInt<int64_t>(3), 3000000000LL);
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetInt<int32_t>(3); }), "-1 JSON integer out of range");
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetInt<uint8_t>(0); }), "no error");
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetStr(0); }), "-3 JSON value of type number is not of expected type string");
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetBool(1); }), "-3 JSON value of type string is not of expected type bool");
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetInt<int>(1); }), "-3 JSON value of type string is not of expected type number");
    }
    req.params = Json(R"([1.5, "x", false, -1])");
    {
        const RpcArgs args{m, req};
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetInt<int>(0); }), "-1 JSON integer out of range");
        BOOST_CHECK_EQUAL(ErrorOf([&] { args.GetInt<uint64_t>(3); }), "-1 JSON integer out of range");
        BOOST_CHECK_EQUAL(args.MaybeBool(2).value(), false);
    }
}

BOOST_AUTO_TEST_CASE(named_params)
{
    const std::vector<std::pair<std::string, bool>> names{
        {"first", false}, {"second|second_alias", false}, {"third", false}, {"fourth", false}, {"fifth", false}};
    // Holes become nulls, trailing ones are left out.
    BOOST_CHECK_EQUAL(Transform(R"({"second": "b", "fourth": "d"})", names), R"([null,"b",null,"d"])");
    BOOST_CHECK_EQUAL(Transform(R"({})", names), "[]");
    BOOST_CHECK_EQUAL(Transform(R"({"first": 1})", names), "[1]");
    BOOST_CHECK_EQUAL(Transform(R"({"second_alias": 2})", names), "[null,2]");
    BOOST_CHECK_EQUAL(Transform(R"({"second": 1, "second": 2})", names), "-8 Parameter second specified multiple times");
    BOOST_CHECK_EQUAL(Transform(R"({"second": 1, "foo": 2})", names), "-8 Unknown named parameter foo");
    BOOST_CHECK_EQUAL(Transform(R"({"foo": 1, "bar": 2})", names), "-8 Unknown named parameter foo");
    // "args" gives the leading positional arguments.
    BOOST_CHECK_EQUAL(Transform(R"({"fifth": 50, "args": [10, 20], "fourth": 40})", names), "[10,20,null,40,50]");
    BOOST_CHECK_EQUAL(Transform(R"({"args": [1, 2, 3, 4, 5, 6, 7]})", names), "[1,2,3,4,5,6,7]");
    BOOST_CHECK_EQUAL(Transform(R"({"args": [1, 2, 3], "fourth": 4, "second": 2})", names),
                      "-8 Parameter second|second_alias specified twice both as positional and named argument");
    BOOST_CHECK_EQUAL(Transform(R"({"args": 5})", names), "-8 Unknown named parameter args");

    // Named-only parameters gather into the options object at its position.
    const std::vector<std::pair<std::string, bool>> opts{
        {"a", false}, {"b", false}, {"opt_x", true}, {"opt_y", true}, {"options", false}};
    BOOST_CHECK_EQUAL(Transform(R"({"a": 1, "b": 2})", opts), "[1,2]");
    BOOST_CHECK_EQUAL(Transform(R"({"a": 1, "opt_y": 20, "opt_x": 10})", opts), R"([1,null,{"opt_x":10,"opt_y":20}])");
    BOOST_CHECK_EQUAL(Transform(R"({"a": 1, "b": 2, "options": {"opt_x": 10}})", opts), R"([1,2,{"opt_x":10}])");
    BOOST_CHECK_EQUAL(Transform(R"({"a": 1, "opt_x": 10, "options": {"opt_x": 10}})", opts),
                      "-8 Parameter options conflicts with parameter opt_x");
    BOOST_CHECK_EQUAL(Transform(R"({"args": [1, 2, {"opt_x": 10}], "opt_y": 20})", opts),
                      "-8 Parameter options specified twice both as positional and named argument");
    BOOST_CHECK_EQUAL(Transform(R"({"args": [1, 2], "opt_y": 20})", opts), R"([1,2,{"opt_y":20}])");
}

BOOST_AUTO_TEST_CASE(amounts)
{
    BOOST_CHECK_EQUAL(ValueFromAmount(0).write(), "0.00000000");
    BOOST_CHECK_EQUAL(ValueFromAmount(1).write(), "0.00000001");
    BOOST_CHECK_EQUAL(ValueFromAmount(17622195).write(), "0.17622195");
    BOOST_CHECK_EQUAL(ValueFromAmount(50000000).write(), "0.50000000");
    BOOST_CHECK_EQUAL(ValueFromAmount(100000000).write(), "1.00000000");
    BOOST_CHECK_EQUAL(ValueFromAmount(2099999999999999).write(), "20999999.99999999");
    BOOST_CHECK_EQUAL(ValueFromAmount(-1).write(), "-0.00000001");
    BOOST_CHECK_EQUAL(ValueFromAmount(-123456789).write(), "-1.23456789");
    BOOST_CHECK_EQUAL(ValueFromAmount(std::numeric_limits<int64_t>::min()).write(), "-92233720368.54775808");
    BOOST_CHECK(ValueFromAmount(1).isNum());
    // In a reply it stays a number with all 8 decimals.
    UniValue obj(UniValue::VOBJ);
    obj.pushKV("fee", ValueFromAmount(1000));
    BOOST_CHECK_EQUAL(obj.write(), R"({"fee":0.00001000})");

    const auto amount = [](const UniValue& v) { return std::to_string(AmountFromValue(v)); };
    const auto num = [](const char* s) { return UniValue(UniValue::VNUM, s); };
    BOOST_CHECK_EQUAL(amount(num("0.00000001")), "1");
    BOOST_CHECK_EQUAL(amount(num("0.17622195")), "17622195");
    BOOST_CHECK_EQUAL(amount(num("0.5")), "50000000");
    BOOST_CHECK_EQUAL(amount(num("1e-8")), "1");
    BOOST_CHECK_EQUAL(amount(num("0.1e-7")), "1");
    BOOST_CHECK_EQUAL(amount(num("20999999.99999999")), "2099999999999999");
    BOOST_CHECK_EQUAL(amount(num("21000000")), "2100000000000000");
    BOOST_CHECK_EQUAL(amount(num("0.00000001000")), "1");
    BOOST_CHECK_EQUAL(amount(UniValue("0.5")), "50000000"); // strings too
    BOOST_CHECK_EQUAL(amount(num("0")), "0");

    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(num("1e-9")); }), "-3 Invalid amount");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(num("0.000000019")); }), "-3 Invalid amount");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(UniValue("abc")); }), "-3 Invalid amount");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(UniValue("")); }), "-3 Invalid amount");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(num("1e11")); }), "-3 Invalid amount");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(num("21000000.00000001")); }), "-3 Amount out of range");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(num("-0.00000001")); }), "-3 Amount out of range");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(UniValue(true)); }), "-3 Amount is not a number or string");
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(UniValue()); }), "-3 Amount is not a number or string");
    // Other precisions (fee rates in sat/vB use 3).
    BOOST_CHECK_EQUAL(AmountFromValue(num("1.234"), 3), 1234);
    BOOST_CHECK_EQUAL(ErrorOf([&] { AmountFromValue(num("1.2345"), 3); }), "-3 Invalid amount");
}

BOOST_AUTO_TEST_CASE(hex_and_hash_params)
{
    const std::string hash = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
    BOOST_CHECK_EQUAL(ParseHashV(UniValue(hash), "blockhash").GetHex(), hash);
    BOOST_CHECK_EQUAL(ErrorOf([&] { ParseHashV(UniValue("abcd"), "blockhash"); }),
                      "-8 blockhash must be of length 64 (not 4, for 'abcd')");
    BOOST_CHECK_EQUAL(ErrorOf([&] { ParseHashV(UniValue(std::string(64, 'z')), "txid"); }),
                      "-8 txid must be hexadecimal string (not '" + std::string(64, 'z') + "')");
    BOOST_CHECK_EQUAL(ErrorOf([&] { ParseHashV(UniValue(1), "txid"); }),
                      "-3 JSON value of type number is not of expected type string");
    BOOST_CHECK(ParseHexV(UniValue("00ff"), "data") == (Bytes{0x00, 0xff}));
    BOOST_CHECK_EQUAL(ErrorOf([&] { ParseHexV(UniValue("0"), "data"); }), "-8 data must be hexadecimal string (not '0')");
    BOOST_CHECK_EQUAL(ErrorOf([&] { ParseHexV(UniValue(5), "data"); }), "-8 data must be hexadecimal string (not '')");
}

BOOST_AUTO_TEST_CASE(examples)
{
    BOOST_CHECK_EQUAL(HelpExampleCli("getblock", "\"hash\" 2"), "> cairn-cli getblock \"hash\" 2\n");
    BOOST_CHECK_EQUAL(HelpExampleCliNamed("send", {{"amount", UniValue(UniValue::VNUM, "0.1")}, {"label", "a b"}, {"q", "it's"}}),
                      "> cairn-cli -named send amount=0.1 label='a b' q='it'\\''s'\n");
    BOOST_CHECK_EQUAL(HelpExampleRpcNamed("m", {{"a", 1}}),
                      "> curl --user myusername --data-binary '{\"jsonrpc\": \"2.0\", \"id\": \"curltest\", \"method\": \"m\", "
                      "\"params\": {\"a\":1}}' -H 'content-type: application/json' http://127.0.0.1:8332/\n");
    BOOST_CHECK_EQUAL(RpcExamples{""}.ToDescriptionString(), "");
}

BOOST_AUTO_TEST_SUITE_END()
