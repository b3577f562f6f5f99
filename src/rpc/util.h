// The declaration of an RPC method next to its body: its name, description,
// arguments, results and examples. From that one declaration come
//  - the `help <method>` text, in Bitcoin Core's layout;
//  - the mapping of named parameters (params as a JSON object, bitcoin-cli
//    -named) to positions, with Core's error messages;
//  - the argument count and type checks done before the body runs;
//  - the argument table `help dump_all_command_conversions` prints.
//
// A method is written like this:
//
//   RpcMethod{"getblockhash", "Returns hash of block in best-block-chain at height provided.",
//       {{"height", RpcArg::Type::NUM, RpcArg::Optional::NO, "The height index"}},
//       RpcResult{RpcResult::Type::STR_HEX, "", "The block hash"},
//       RpcExamples{HelpExampleCli("getblockhash", "1000") + HelpExampleRpc("getblockhash", "1000")},
//       [](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
//           const RpcArgs args{self, request};
//           const int height = args.GetInt<int>(0);
//           ...
//       }};
//
// Errors for the client are thrown as RpcError (rpc/request.h); any other
// std::exception becomes RPC_MISC_ERROR (-1) with its what().
#ifndef CAIRN_RPC_UTIL_H
#define CAIRN_RPC_UTIL_H

#include "rpc/protocol.h"
#include "rpc/request.h"
#include "util/span.h"
#include "util/uint256.h"

#include <univalue.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace cairn {

struct RpcArgOptions {
    /** Accept any JSON type (the body checks). */
    bool skip_type_check{false};
    /** Replaces the argument in the one-line summary of the help. */
    std::string oneline_description{};
    /** For nested arguments with a type of their own: {"shown value", "shown type"}. */
    std::vector<std::string> type_str{};
    /** Left out of the help, with every argument after it. */
    bool hidden{false};
    /** A named-only argument (inside OBJ_NAMED_PARAMS) that may also be given by position. */
    bool also_positional{false};
};

struct RpcArg {
    enum class Type {
        OBJ,
        ARR,
        STR,
        NUM,
        BOOL,
        /** An object whose members may also be passed as named parameters. */
        OBJ_NAMED_PARAMS,
        /** An object with keys chosen by the user (addresses, ...). */
        OBJ_USER_KEYS,
        /** A number or a string with up to 8 decimals (AmountFromValue). */
        AMOUNT,
        /** A string of hex digits. */
        STR_HEX,
        /** A number or an array [begin, end]. */
        RANGE,
    };

    enum class Optional {
        /** Required. */
        NO,
        /** Optional, with no default: the body sees null. */
        OMITTED,
    };
    /** Optional; the help shows this text as the default (the body decides). */
    struct DefaultHint {
        std::string text;
    };
    /** Optional; RpcArgs returns this value when the argument is null. */
    struct Default {
        UniValue value;
        Default(UniValue v) : value(std::move(v)) {}
    };
    using Fallback = std::variant<Optional, DefaultHint, Default>;

    /** The name, or "name|alias" (the first is shown in help). */
    std::string names;
    Type type;
    Fallback fallback;
    std::string description;
    /** Members of OBJ / OBJ_NAMED_PARAMS / OBJ_USER_KEYS, elements of ARR. */
    std::vector<RpcArg> inner;
    RpcArgOptions opts;

    RpcArg(std::string names, Type type, Fallback fallback, std::string description, RpcArgOptions opts = {});
    RpcArg(std::string names, Type type, Fallback fallback, std::string description, std::vector<RpcArg> inner,
           RpcArgOptions opts = {});

    bool IsOptional() const;
    /** The name before any '|'. */
    std::string GetFirstName() const;
    /** True, or a message ("JSON value of type string is not of expected type number"). */
    UniValue MatchesType(const UniValue& value) const;
    /** The argument as shown in the summary line or in a nested listing. */
    std::string ToString(bool oneline) const;
    /** The argument as a member of an object ("name": type). */
    std::string ToStringObj(bool oneline) const;
    /** "(string, optional, default=...) description" */
    std::string ToDescriptionString(bool is_named_arg) const;
};

struct RpcResult {
    enum class Type {
        OBJ,
        ARR,
        STR,
        NUM,
        BOOL,
        /** null */
        NONE,
        /** Anything (only for results that are not documented, like echo's). */
        ANY,
        /** An amount: a JSON number with 8 decimals. */
        STR_AMOUNT,
        STR_HEX,
        /** An object whose keys are data. */
        OBJ_DYN,
        /** An array of a fixed length. */
        ARR_FIXED,
        /** A UNIX time. */
        NUM_TIME,
        /** "..." in the help: the rest is as described elsewhere. */
        ELISION,
    };

    std::string cond;
    Type type;
    std::string key_name;
    std::vector<RpcResult> inner;
    bool optional{false};
    bool skip_type_check{false};
    std::string description;

    // Bitcoin Core's four shapes. The `optional` flag must be a real bool:
    // a string in its place would otherwise convert to `true` silently.
    template <typename B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
    RpcResult(std::string cond, Type type, std::string key_name, B optional, std::string description,
              std::vector<RpcResult> inner = {})
        : cond(std::move(cond)), type(type), key_name(std::move(key_name)), inner(std::move(inner)),
          optional(optional), description(std::move(description))
    {
    }
    RpcResult(std::string cond, Type type, std::string key_name, std::string description, std::vector<RpcResult> inner = {})
        : RpcResult(std::move(cond), type, std::move(key_name), false, std::move(description), std::move(inner))
    {
    }
    template <typename B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
    RpcResult(Type type, std::string key_name, B optional, std::string description, std::vector<RpcResult> inner = {},
              bool skip_type_check = false)
        : type(type), key_name(std::move(key_name)), inner(std::move(inner)), optional(optional),
          skip_type_check(skip_type_check), description(std::move(description))
    {
    }
    RpcResult(Type type, std::string key_name, std::string description, std::vector<RpcResult> inner = {},
              bool skip_type_check = false)
        : RpcResult(type, std::move(key_name), false, std::move(description), std::move(inner), skip_type_check)
    {
    }
};

struct RpcResults {
    std::vector<RpcResult> results;
    RpcResults(RpcResult r) : results{std::move(r)} {}
    RpcResults(std::initializer_list<RpcResult> r) : results{r} {}
    /** "\nResult:\n..." for each result ("\nResult (cond):\n" when conditional). */
    std::string ToDescriptionString() const;
};

struct RpcExamples {
    std::string examples;
    explicit RpcExamples(std::string e) : examples(std::move(e)) {}
    /** "\nExamples:\n..." or "" */
    std::string ToDescriptionString() const;
};

class RpcMethod;
using RpcMethodImpl = std::function<UniValue(const RpcMethod& self, const JsonRpcRequest& request)>;

/** One RPC method: its documentation and its body. Immutable once built, so
 *  one instance serves concurrent calls. */
class RpcMethod
{
public:
    RpcMethod(std::string name, std::string description, std::vector<RpcArg> args, RpcResults results,
              RpcExamples examples, RpcMethodImpl impl);

    const std::string& Name() const { return m_name; }
    const std::vector<RpcArg>& Args() const { return m_args; }

    /**
     * Runs the method on positional params (named ones are mapped first by
     * the table). In help mode, or when the number of arguments is wrong,
     * throws std::runtime_error carrying the help text (Core's behaviour: the
     * client shows it as error -1). Wrong argument types throw RpcError -3
     * "Wrong type passed:\n{...}".
     */
    UniValue HandleRequest(const JsonRpcRequest& request) const;
    /** The help text. */
    std::string ToString() const;
    bool IsValidNumArgs(size_t n) const;
    /** Names for the named-parameter mapping: (pattern, named_only). */
    std::vector<std::pair<std::string, bool>> GetArgNames() const;
    /** [[method, position, name, is_string], ...] */
    UniValue GetArgMap() const;
    /** Position of the argument called `name`; throws std::logic_error if none. */
    size_t GetParamIndex(std::string_view name) const;

private:
    std::string m_name;
    std::string m_description;
    std::vector<RpcArg> m_args;
    RpcResults m_results;
    RpcExamples m_examples;
    RpcMethodImpl m_impl;
};

/**
 * Access to the arguments of one call inside a method body: the parameter
 * when given (not null), else the declared Default, else null. The typed
 * getters throw RpcError RPC_TYPE_ERROR with Core's messages.
 */
class RpcArgs
{
public:
    RpcArgs(const RpcMethod& method, const JsonRpcRequest& request) : m_method(method), m_params(request.params) {}

    /** Parameter i, or its default, or nullptr. */
    const UniValue* Maybe(size_t i) const;
    /** Parameter i, or its default, or null. */
    const UniValue& Get(size_t i) const;
    const UniValue& Get(std::string_view name) const { return Get(m_method.GetParamIndex(name)); }
    /** True when parameter i was given and is not null. */
    bool Has(size_t i) const { return i < m_params.size() && !m_params[i].isNull(); }

    bool GetBool(size_t i) const;
    const std::string& GetStr(size_t i) const;
    template <typename T>
    T GetInt(size_t i) const;
    std::optional<bool> MaybeBool(size_t i) const;
    std::optional<std::string> MaybeStr(size_t i) const;
    template <typename T>
    std::optional<T> MaybeInt(size_t i) const
    {
        if (!Maybe(i)) return std::nullopt;
        return GetInt<T>(i);
    }

private:
    const RpcMethod& m_method;
    const UniValue& m_params;
};

/** The value checked as a number of type T: RPC_TYPE_ERROR "JSON value of type
 *  X is not of expected type number" or "JSON integer out of range". */
int64_t IntFromValue(const UniValue& v, int64_t min, int64_t max);

template <typename T>
T RpcArgs::GetInt(size_t i) const
{
    static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
    if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) {
        return static_cast<T>(IntFromValue(Get(i), 0, std::numeric_limits<int64_t>::max()));
    } else {
        return static_cast<T>(IntFromValue(Get(i), std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    }
}

/** Throws RPC_TYPE_ERROR "JSON value of type X is not of expected type Y" unless v has type `expected`. */
void CheckValueType(const UniValue& v, UniValue::VType expected);

/** An amount as a JSON number with exactly 8 decimals ("-0.00000001"). */
UniValue ValueFromAmount(int64_t sats);
/**
 * A number or numeric string with at most `decimals` decimals, as satoshis
 * (for decimals = 8). RPC_TYPE_ERROR "Amount is not a number or string",
 * "Invalid amount" (not a number, too precise, too large), "Amount out of
 * range" (negative or above MAX_MONEY).
 */
int64_t AmountFromValue(const UniValue& value, int decimals = 8);

/** A 64-hex-digit hash parameter (reversed, as shown). RPC_INVALID_PARAMETER
 *  "<name> must be of length 64 (not N, for '...')" or "<name> must be
 *  hexadecimal string (not '...')". */
uint256 ParseHashV(const UniValue& v, std::string_view name);
/** A hex string parameter. RPC_INVALID_PARAMETER "<name> must be hexadecimal string (not '...')". */
Bytes ParseHexV(const UniValue& v, std::string_view name);

/** "> cairn-cli method args\n" */
std::string HelpExampleCli(const std::string& method, const std::string& args);
/** "> cairn-cli -named method a=1 b=x\n" */
std::string HelpExampleCliNamed(const std::string& method, const std::vector<std::pair<std::string, UniValue>>& args);
/** The curl line for a JSON-RPC 2.0 call with positional params. */
std::string HelpExampleRpc(const std::string& method, const std::string& args);
std::string HelpExampleRpcNamed(const std::string& method, const std::vector<std::pair<std::string, UniValue>>& args);

/**
 * Maps named params (an object) to positions for a method with these
 * argument names (RpcMethod::GetArgNames), as Core does: holes become null
 * (trailing ones are left out), named-only members of an OBJ_NAMED_PARAMS
 * argument are gathered into one object, an "args" array supplies leading
 * positional arguments. RpcError -8: "Parameter X specified multiple times",
 * "Parameter X conflicts with parameter Y", "Parameter X specified twice both
 * as positional and named argument", "Unknown named parameter X".
 */
UniValue TransformNamedParams(const UniValue& named, const std::vector<std::pair<std::string, bool>>& arg_names);

} // namespace cairn

#endif
