#include "rpc/util.h"

#include "primitives/amount.h"
#include "util/hex.h"
#include "util/strencodings.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace cairn {

// ---------------------------------------------------------------------------
// Help layout: two columns, the left one padded to the widest entry plus 4.

namespace {

struct Section {
    std::string left;
    std::string right;
};

enum class OuterType { NONE, OBJ, ARR };

struct Sections {
    std::vector<Section> sections;
    size_t max_pad{0};

    void PushSection(Section s)
    {
        max_pad = std::max(max_pad, s.left.size());
        sections.push_back(std::move(s));
    }

    /** The nested members of an argument (a top-level scalar has none). */
    void Push(const RpcArg& arg, size_t indent_size = 5, OuterType outer = OuterType::NONE)
    {
        const std::string indent(indent_size, ' ');
        const std::string indent_next(indent_size + 2, ' ');
        const bool push_name = outer == OuterType::OBJ; // members of an object are named
        const bool top_level = outer == OuterType::NONE;
        using T = RpcArg::Type;
        switch (arg.type) {
        case T::STR_HEX:
        case T::STR:
        case T::NUM:
        case T::AMOUNT:
        case T::RANGE:
        case T::BOOL:
        case T::OBJ_NAMED_PARAMS: {
            if (top_level) return;
            std::string left = indent;
            if (!arg.opts.type_str.empty() && push_name) {
                left += "\"" + arg.GetFirstName() + "\": " + arg.opts.type_str.at(0);
            } else {
                left += push_name ? arg.ToStringObj(false) : arg.ToString(false);
            }
            left += ",";
            PushSection({left, arg.ToDescriptionString(push_name)});
            return;
        }
        case T::OBJ:
        case T::OBJ_USER_KEYS: {
            const std::string right = top_level ? "" : arg.ToDescriptionString(push_name);
            PushSection({indent + (push_name ? "\"" + arg.GetFirstName() + "\": " : "") + "{", right});
            for (const RpcArg& i : arg.inner) Push(i, indent_size + 2, OuterType::OBJ);
            if (arg.type != T::OBJ) PushSection({indent_next + "...", ""});
            PushSection({indent + "}" + (top_level ? "" : ","), ""});
            return;
        }
        case T::ARR: {
            std::string left = indent + (push_name ? "\"" + arg.GetFirstName() + "\": " : "") + "[";
            const std::string right = top_level ? "" : arg.ToDescriptionString(push_name);
            PushSection({left, right});
            for (const RpcArg& i : arg.inner) Push(i, indent_size + 2, OuterType::ARR);
            PushSection({indent_next + "...", ""});
            PushSection({indent + "]" + (top_level ? "" : ","), ""});
            return;
        }
        }
    }

    std::string ToString() const
    {
        std::string out;
        const size_t pad = max_pad + 4;
        for (const Section& s : sections) {
            if (s.right.empty()) {
                out += s.left + "\n";
                continue;
            }
            std::string left = s.left;
            left.resize(std::max(pad, left.size()), ' ');
            out += left;
            // Continuation lines of the description line up with its start;
            // their own leading spaces are dropped.
            size_t begin = 0;
            size_t nl = s.right.find('\n');
            for (;;) {
                out += s.right.substr(begin, nl == std::string::npos ? std::string::npos : nl - begin);
                if (nl == std::string::npos) break;
                out += "\n" + std::string(pad, ' ');
                begin = s.right.find_first_not_of(' ', nl + 1);
                if (begin == std::string::npos) break;
                nl = s.right.find('\n', begin + 1);
            }
            out += "\n";
        }
        return out;
    }
};

void ResultToSections(const RpcResult& r, Sections& sections, OuterType outer, size_t indent_size)
{
    const std::string indent(indent_size, ' ');
    const std::string indent_next(indent_size + 2, ' ');
    const std::string separator = outer != OuterType::NONE ? "," : "";
    const std::string key = outer == OuterType::OBJ ? "\"" + r.key_name + "\" : " : "";
    const auto describe = [&](const std::string& type) {
        return "(" + type + (r.optional ? ", optional" : "") + ")" + (r.description.empty() ? "" : " " + r.description);
    };
    using T = RpcResult::Type;
    switch (r.type) {
    case T::ELISION:
        sections.PushSection({indent + "..." + separator, r.description});
        return;
    case T::ANY:
        return; // undocumented results are not shown
    case T::NONE:
        sections.PushSection({indent + "null" + separator, describe("json null")});
        return;
    case T::STR:
        sections.PushSection({indent + key + "\"str\"" + separator, describe("string")});
        return;
    case T::STR_AMOUNT:
        sections.PushSection({indent + key + "n" + separator, describe("numeric")});
        return;
    case T::STR_HEX:
        sections.PushSection({indent + key + "\"hex\"" + separator, describe("string")});
        return;
    case T::NUM:
        sections.PushSection({indent + key + "n" + separator, describe("numeric")});
        return;
    case T::NUM_TIME:
        sections.PushSection({indent + key + "xxx" + separator, describe("numeric")});
        return;
    case T::BOOL:
        sections.PushSection({indent + key + "true|false" + separator, describe("boolean")});
        return;
    case T::ARR_FIXED:
    case T::ARR:
        sections.PushSection({indent + key + "[", describe("json array")});
        for (const RpcResult& i : r.inner) ResultToSections(i, sections, OuterType::ARR, indent_size + 2);
        if (r.type == T::ARR && (r.inner.empty() || r.inner.back().type != T::ELISION)) {
            sections.PushSection({indent_next + "...", ""});
        } else if (!sections.sections.back().left.empty() && sections.sections.back().left.back() == ',') {
            sections.sections.back().left.pop_back(); // no comma after the last element
        }
        sections.PushSection({indent + "]" + separator, ""});
        return;
    case T::OBJ_DYN:
    case T::OBJ:
        if (r.inner.empty()) {
            sections.PushSection({indent + key + "{}", describe("empty JSON object")});
            return;
        }
        sections.PushSection({indent + key + "{", describe("json object")});
        for (const RpcResult& i : r.inner) ResultToSections(i, sections, OuterType::OBJ, indent_size + 2);
        if (r.type == T::OBJ_DYN && r.inner.back().type != T::ELISION) {
            sections.PushSection({indent_next + "...", ""}); // the keys are data
        } else if (!sections.sections.back().left.empty() && sections.sections.back().left.back() == ',') {
            sections.sections.back().left.pop_back();
        }
        sections.PushSection({indent + "}" + separator, ""});
        return;
    }
}

std::string Join(const std::vector<std::string>& v, std::string_view sep)
{
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += sep;
        out += v[i];
    }
    return out;
}

std::string ShellQuoteIfNeeded(const std::string& s)
{
    if (s.find_first_of(" '\"") == std::string::npos) return s;
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

} // namespace

// ---------------------------------------------------------------------------
// RpcArg

RpcArg::RpcArg(std::string names, Type type, Fallback fallback, std::string description, RpcArgOptions opts)
    : names(std::move(names)), type(type), fallback(std::move(fallback)), description(std::move(description)),
      opts(std::move(opts))
{
}

RpcArg::RpcArg(std::string names, Type type, Fallback fallback, std::string description, std::vector<RpcArg> inner,
               RpcArgOptions opts)
    : names(std::move(names)), type(type), fallback(std::move(fallback)), description(std::move(description)),
      inner(std::move(inner)), opts(std::move(opts))
{
}

bool RpcArg::IsOptional() const
{
    if (const auto* o = std::get_if<Optional>(&fallback)) return *o != Optional::NO;
    return true;
}

std::string RpcArg::GetFirstName() const { return names.substr(0, names.find('|')); }

UniValue RpcArg::MatchesType(const UniValue& value) const
{
    if (opts.skip_type_check) return true;
    if (IsOptional() && value.isNull()) return true;
    std::optional<UniValue::VType> expected;
    switch (type) {
    case Type::STR_HEX:
    case Type::STR: expected = UniValue::VSTR; break;
    case Type::NUM: expected = UniValue::VNUM; break;
    case Type::AMOUNT: break; // number or string: AmountFromValue checks
    case Type::RANGE: break;  // number or array
    case Type::BOOL: expected = UniValue::VBOOL; break;
    case Type::OBJ:
    case Type::OBJ_NAMED_PARAMS:
    case Type::OBJ_USER_KEYS: expected = UniValue::VOBJ; break;
    case Type::ARR: expected = UniValue::VARR; break;
    }
    if (!expected || *expected == value.getType()) return true;
    return std::string("JSON value of type ") + uvTypeName(value.getType()) + " is not of expected type " +
           uvTypeName(*expected);
}

std::string RpcArg::ToStringObj(bool oneline) const
{
    std::string res = "\"" + GetFirstName() + (oneline ? "\":" : "\": ");
    switch (type) {
    case Type::STR: return res + "\"str\"";
    case Type::STR_HEX: return res + "\"hex\"";
    case Type::NUM: return res + "n";
    case Type::RANGE: return res + "n or [n,n]";
    case Type::AMOUNT: return res + "amount";
    case Type::BOOL: return res + "bool";
    case Type::ARR: {
        res += "[";
        for (const RpcArg& i : inner) res += i.ToString(oneline) + ",";
        return res + "...]";
    }
    case Type::OBJ:
    case Type::OBJ_NAMED_PARAMS:
    case Type::OBJ_USER_KEYS: {
        std::vector<std::string> parts;
        for (const RpcArg& i : inner) parts.push_back(i.ToStringObj(oneline));
        return res + "{" + Join(parts, ",") + (type == Type::OBJ ? "}" : ",...}");
    }
    }
    return res;
}

std::string RpcArg::ToString(bool oneline) const
{
    if (oneline && !opts.oneline_description.empty()) return opts.oneline_description;
    switch (type) {
    case Type::STR_HEX:
    case Type::STR: return "\"" + GetFirstName() + "\"";
    case Type::NUM:
    case Type::RANGE:
    case Type::AMOUNT:
    case Type::BOOL: return GetFirstName();
    case Type::OBJ:
    case Type::OBJ_NAMED_PARAMS:
    case Type::OBJ_USER_KEYS: {
        std::vector<std::string> parts;
        for (const RpcArg& i : inner) parts.push_back(i.ToStringObj(oneline));
        return "{" + Join(parts, ",") + (type == Type::OBJ ? "}" : ",...}");
    }
    case Type::ARR: {
        std::string res;
        for (const RpcArg& i : inner) res += i.ToString(oneline) + ",";
        return "[" + res + "...]";
    }
    }
    return GetFirstName();
}

std::string RpcArg::ToDescriptionString(bool is_named_arg) const
{
    std::string ret = "(";
    if (opts.type_str.size() >= 2) {
        ret += opts.type_str.at(1);
    } else {
        switch (type) {
        case Type::STR_HEX:
        case Type::STR: ret += "string"; break;
        case Type::NUM: ret += "numeric"; break;
        case Type::AMOUNT: ret += "numeric or string"; break;
        case Type::RANGE: ret += "numeric or array"; break;
        case Type::BOOL: ret += "boolean"; break;
        case Type::OBJ:
        case Type::OBJ_NAMED_PARAMS:
        case Type::OBJ_USER_KEYS: ret += "json object"; break;
        case Type::ARR: ret += "json array"; break;
        }
    }
    if (const auto* hint = std::get_if<DefaultHint>(&fallback)) {
        ret += ", optional, default=" + hint->text;
    } else if (const auto* def = std::get_if<Default>(&fallback)) {
        ret += ", optional, default=" + def->value.write();
    } else if (std::get<Optional>(fallback) == Optional::OMITTED) {
        // In an object a missing member reads as null: say it is optional.
        if (is_named_arg) ret += ", optional";
    } else {
        ret += ", required";
    }
    ret += ")";
    if (type == Type::OBJ_NAMED_PARAMS) ret += " Options object that can be used to pass named arguments, listed below.";
    if (!description.empty()) ret += " " + description;
    return ret;
}

// ---------------------------------------------------------------------------
// Results, examples

std::string RpcResults::ToDescriptionString() const
{
    std::string out;
    for (const RpcResult& r : results) {
        if (r.type == RpcResult::Type::ANY) continue;
        out += r.cond.empty() ? "\nResult:\n" : "\nResult (" + r.cond + "):\n";
        Sections sections;
        ResultToSections(r, sections, OuterType::NONE, 0);
        out += sections.ToString();
    }
    return out;
}

std::string RpcExamples::ToDescriptionString() const
{
    return examples.empty() ? std::string() : "\nExamples:\n" + examples;
}

// ---------------------------------------------------------------------------
// RpcMethod

RpcMethod::RpcMethod(std::string name, std::string description, std::vector<RpcArg> args, RpcResults results,
                     RpcExamples examples, RpcMethodImpl impl)
    : m_name(std::move(name)), m_description(std::move(description)), m_args(std::move(args)),
      m_results(std::move(results)), m_examples(std::move(examples)), m_impl(std::move(impl))
{
    // Names must be unique (a named-only member may repeat a positional name
    // only when it is also_positional); defaults must fit the type. These are
    // programming errors, caught by the unit tests that build every table.
    enum { POSITIONAL = 1, NAMED = 2, NAMED_ONLY = 4 };
    std::map<std::string, int> seen;
    for (const RpcArg& arg : m_args) {
        for (const std::string& n : SplitString(arg.names, '|')) {
            int& t = seen[n];
            if (t & (POSITIONAL | NAMED_ONLY)) throw std::logic_error("RPC " + m_name + ": duplicate argument name " + n);
            t |= POSITIONAL;
        }
        if (arg.type == RpcArg::Type::OBJ_NAMED_PARAMS) {
            for (const RpcArg& inner : arg.inner) {
                for (const std::string& n : SplitString(inner.names, '|')) {
                    int& t = seen[n];
                    if (((t & POSITIONAL) && !inner.opts.also_positional) || (t & (NAMED | NAMED_ONLY))) {
                        throw std::logic_error("RPC " + m_name + ": duplicate argument name " + n);
                    }
                    t |= inner.opts.also_positional ? NAMED : NAMED_ONLY;
                }
            }
        }
        if (const auto* def = std::get_if<RpcArg::Default>(&arg.fallback)) {
            using T = RpcArg::Type;
            bool ok = true;
            switch (def->value.getType()) {
            case UniValue::VOBJ: ok = arg.type == T::OBJ; break;
            case UniValue::VARR: ok = arg.type == T::ARR; break;
            case UniValue::VSTR: ok = arg.type == T::STR || arg.type == T::STR_HEX || arg.type == T::AMOUNT; break;
            case UniValue::VNUM: ok = arg.type == T::NUM || arg.type == T::AMOUNT || arg.type == T::RANGE; break;
            case UniValue::VBOOL: ok = arg.type == T::BOOL; break;
            case UniValue::VNULL: break;
            }
            if (!ok) throw std::logic_error("RPC " + m_name + ": default of " + arg.names + " does not fit its type");
        }
    }
}

bool RpcMethod::IsValidNumArgs(size_t n) const
{
    size_t required = 0;
    for (size_t i = m_args.size(); i > 0; --i) {
        if (!m_args[i - 1].IsOptional()) {
            required = i;
            break;
        }
    }
    return required <= n && n <= m_args.size();
}

UniValue RpcMethod::HandleRequest(const JsonRpcRequest& request) const
{
    if (request.mode == JsonRpcRequest::Mode::GET_ARGS) return GetArgMap();
    if (request.mode == JsonRpcRequest::Mode::GET_HELP || !IsValidNumArgs(request.params.size())) {
        throw std::runtime_error(ToString());
    }
    UniValue mismatch(UniValue::VOBJ);
    for (size_t i = 0; i < m_args.size(); ++i) {
        const UniValue& p = i < request.params.size() ? request.params[i] : NullUniValue;
        UniValue match = m_args[i].MatchesType(p);
        if (!match.isTrue()) mismatch.pushKV("Position " + std::to_string(i + 1) + " (" + m_args[i].names + ")", match);
    }
    if (!mismatch.empty()) throw RpcError(RPC_TYPE_ERROR, "Wrong type passed:\n" + mismatch.write(4));
    return m_impl(*this, request);
}

std::vector<std::pair<std::string, bool>> RpcMethod::GetArgNames() const
{
    std::vector<std::pair<std::string, bool>> out;
    for (const RpcArg& arg : m_args) {
        if (arg.type == RpcArg::Type::OBJ_NAMED_PARAMS) {
            for (const RpcArg& inner : arg.inner) out.emplace_back(inner.names, true);
        }
        out.emplace_back(arg.names, false);
    }
    return out;
}

UniValue RpcMethod::GetArgMap() const
{
    UniValue arr(UniValue::VARR);
    const auto add = [&](int pos, const std::string& name, RpcArg::Type type) {
        UniValue row(UniValue::VARR);
        row.push_back(m_name);
        row.push_back(pos);
        row.push_back(name);
        row.push_back(type == RpcArg::Type::STR || type == RpcArg::Type::STR_HEX);
        arr.push_back(row);
    };
    for (size_t i = 0; i < m_args.size(); ++i) {
        const RpcArg& arg = m_args[i];
        for (const std::string& name : SplitString(arg.names, '|')) {
            add(int(i), name, arg.type);
            if (arg.type == RpcArg::Type::OBJ_NAMED_PARAMS) {
                for (const RpcArg& inner : arg.inner) {
                    for (const std::string& n : SplitString(inner.names, '|')) add(int(i), n, inner.type);
                }
            }
        }
    }
    return arr;
}

size_t RpcMethod::GetParamIndex(std::string_view name) const
{
    for (size_t i = 0; i < m_args.size(); ++i) {
        if (m_args[i].names == name) return i;
    }
    throw std::logic_error("RPC " + m_name + " has no argument " + std::string(name));
}

std::string RpcMethod::ToString() const
{
    // "name arg1 ( arg2 arg3 )"
    std::string ret = m_name;
    bool in_optional = false;
    for (const RpcArg& arg : m_args) {
        if (arg.opts.hidden) break; // and everything after it
        ret += " ";
        if (arg.IsOptional()) {
            if (!in_optional) ret += "( ";
            in_optional = true;
        } else {
            if (in_optional) ret += ") ";
            in_optional = false;
        }
        ret += arg.ToString(true);
    }
    if (in_optional) ret += " )";

    ret += "\n\n" + TrimString(m_description) + "\n";

    Sections sections;
    Sections named_only;
    for (size_t i = 0; i < m_args.size(); ++i) {
        const RpcArg& arg = m_args[i];
        if (arg.opts.hidden) break;
        sections.PushSection({std::to_string(i + 1) + ". " + arg.GetFirstName(), arg.ToDescriptionString(true)});
        sections.Push(arg);
        if (arg.type == RpcArg::Type::OBJ_NAMED_PARAMS) {
            for (const RpcArg& inner : arg.inner) {
                named_only.PushSection({inner.GetFirstName(), inner.ToDescriptionString(true)});
                named_only.Push(inner);
            }
        }
    }
    if (!sections.sections.empty()) ret += "\nArguments:\n";
    ret += sections.ToString();
    if (!named_only.sections.empty()) ret += "\nNamed Arguments:\n";
    ret += named_only.ToString();
    ret += m_results.ToDescriptionString();
    ret += m_examples.ToDescriptionString();
    return ret;
}

// ---------------------------------------------------------------------------
// Argument access and value helpers

void CheckValueType(const UniValue& v, UniValue::VType expected)
{
    // Core (since v25) answers UniValue's type errors with RPC_TYPE_ERROR, wherever in the request they occur.
    if (v.getType() != expected) {
        throw RpcError(RPC_TYPE_ERROR, std::string("JSON value of type ") + uvTypeName(v.getType()) +
                                           " is not of expected type " + uvTypeName(expected));
    }
}

int64_t IntFromValue(const UniValue& v, int64_t min, int64_t max)
{
    CheckValueType(v, UniValue::VNUM);
    int64_t n;
    if (!ParseInt64(v.getValStr(), &n) || n < min || n > max) throw RpcError(RPC_MISC_ERROR, "JSON integer out of range");
    return n;
}

const UniValue* RpcArgs::Maybe(size_t i) const
{
    if (i < m_params.size() && !m_params[i].isNull()) return &m_params[i];
    if (i < m_method.Args().size()) {
        if (const auto* def = std::get_if<RpcArg::Default>(&m_method.Args()[i].fallback)) return &def->value;
    }
    return nullptr;
}

const UniValue& RpcArgs::Get(size_t i) const
{
    const UniValue* v = Maybe(i);
    return v ? *v : NullUniValue;
}

bool RpcArgs::GetBool(size_t i) const
{
    const UniValue& v = Get(i);
    CheckValueType(v, UniValue::VBOOL);
    return v.isTrue();
}

const std::string& RpcArgs::GetStr(size_t i) const
{
    const UniValue& v = Get(i);
    CheckValueType(v, UniValue::VSTR);
    return v.get_str();
}

std::optional<bool> RpcArgs::MaybeBool(size_t i) const
{
    if (!Maybe(i)) return std::nullopt;
    return GetBool(i);
}

std::optional<std::string> RpcArgs::MaybeStr(size_t i) const
{
    if (!Maybe(i)) return std::nullopt;
    return GetStr(i);
}

UniValue ValueFromAmount(int64_t sats) { return UniValue(UniValue::VNUM, FormatAmount(sats)); }

int64_t AmountFromValue(const UniValue& value, int decimals)
{
    if (!value.isNum() && !value.isStr()) throw RpcError(RPC_TYPE_ERROR, "Amount is not a number or string");
    const auto amount = ParseFixedPoint(value.getValStr(), decimals);
    // Core's parser stops at 18 significant digits: larger values are
    // "Invalid amount" there, not "out of range".
    constexpr int64_t UPPER_BOUND = 1000000000000000000LL - 1;
    if (!amount || *amount > UPPER_BOUND || *amount < -UPPER_BOUND) throw RpcError(RPC_TYPE_ERROR, "Invalid amount");
    if (!MoneyRange(*amount)) throw RpcError(RPC_TYPE_ERROR, "Amount out of range");
    return *amount;
}

uint256 ParseHashV(const UniValue& v, std::string_view name)
{
    CheckValueType(v, UniValue::VSTR);
    const std::string& hex = v.get_str();
    if (auto h = uint256::FromHex(hex)) return *h;
    if (hex.size() != 64) {
        throw RpcError(RPC_INVALID_PARAMETER, std::string(name) + " must be of length 64 (not " + std::to_string(hex.size()) +
                                                  ", for '" + hex + "')");
    }
    throw RpcError(RPC_INVALID_PARAMETER, std::string(name) + " must be hexadecimal string (not '" + hex + "')");
}

Bytes ParseHexV(const UniValue& v, std::string_view name)
{
    const std::string hex = v.isStr() ? v.get_str() : std::string();
    auto bytes = TryParseHex(hex);
    if (hex.empty() || !bytes) {
        throw RpcError(RPC_INVALID_PARAMETER, std::string(name) + " must be hexadecimal string (not '" + hex + "')");
    }
    return *bytes;
}

std::string HelpExampleCli(const std::string& method, const std::string& args)
{
    return "> cairn-cli " + method + " " + args + "\n";
}

std::string HelpExampleCliNamed(const std::string& method, const std::vector<std::pair<std::string, UniValue>>& args)
{
    std::string out = "> cairn-cli -named " + method;
    for (const auto& [k, v] : args) out += " " + k + "=" + ShellQuoteIfNeeded(v.isStr() ? v.get_str() : v.write());
    return out + "\n";
}

std::string HelpExampleRpc(const std::string& method, const std::string& args)
{
    return "> curl --user myusername --data-binary '{\"jsonrpc\": \"2.0\", \"id\": \"curltest\", \"method\": \"" + method +
           "\", \"params\": [" + args + "]}' -H 'content-type: application/json' http://127.0.0.1:8332/\n";
}

std::string HelpExampleRpcNamed(const std::string& method, const std::vector<std::pair<std::string, UniValue>>& args)
{
    UniValue params(UniValue::VOBJ);
    for (const auto& [k, v] : args) params.pushKV(k, v);
    return "> curl --user myusername --data-binary '{\"jsonrpc\": \"2.0\", \"id\": \"curltest\", \"method\": \"" + method +
           "\", \"params\": " + params.write() + "}' -H 'content-type: application/json' http://127.0.0.1:8332/\n";
}

// ---------------------------------------------------------------------------
// Named parameters

UniValue TransformNamedParams(const UniValue& named, const std::vector<std::pair<std::string, bool>>& arg_names)
{
    UniValue out(UniValue::VARR);
    // What the request gave, in its order; entries are removed as they are
    // used so that leftovers can be reported.
    std::vector<std::pair<std::string, const UniValue*>> given;
    const auto& keys = named.getKeys();
    const auto& values = named.getValues();
    for (size_t i = 0; i < keys.size(); ++i) {
        for (const auto& g : given) {
            if (g.first == keys[i]) throw RpcError(RPC_INVALID_PARAMETER, "Parameter " + keys[i] + " specified multiple times");
        }
        given.emplace_back(keys[i], &values[i]);
    }
    const auto find = [&](const std::string& pattern) {
        for (const std::string& name : SplitString(pattern, '|')) {
            auto it = std::find_if(given.begin(), given.end(), [&](const auto& g) { return g.first == name; });
            if (it != given.end()) return it;
        }
        return given.end();
    };

    // `hole` counts unnamed positions since the last one pushed; they become
    // nulls only when something follows them. `initial_hole` is how many
    // leading positions were left empty (an "args" array may fill them).
    size_t hole = 0;
    size_t initial_hole = 0;
    const std::string* first_named = nullptr;
    UniValue options(UniValue::VOBJ);
    for (const auto& [pattern, named_only] : arg_names) {
        auto it = find(pattern);
        if (named_only) {
            // Members of an OBJ_NAMED_PARAMS argument: gathered into the
            // object pushed at that argument's position.
            if (it != given.end()) {
                if (options.exists(it->first)) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Parameter " + it->first + " specified multiple times");
                }
                options.pushKV(it->first, *it->second);
                given.erase(it);
            }
            continue;
        }
        if (!options.empty() || it != given.end()) {
            for (size_t i = 0; i < hole; ++i) out.push_back(UniValue());
            hole = 0;
            if (!first_named) first_named = &pattern;
        } else {
            ++hole;
            if (out.empty()) initial_hole = hole;
        }
        if (it != given.end()) {
            if (!options.empty()) {
                throw RpcError(RPC_INVALID_PARAMETER,
                               "Parameter " + it->first + " conflicts with parameter " + options.getKeys().front());
            }
            out.push_back(*it->second);
            given.erase(it);
        }
        if (!options.empty()) {
            out.push_back(options);
            options = UniValue(UniValue::VOBJ);
        }
    }

    // "args": leading positional arguments, the named ones after them.
    auto args_it = std::find_if(given.begin(), given.end(), [](const auto& g) { return g.first == "args"; });
    if (args_it != given.end() && args_it->second->isArray()) {
        const UniValue positional = *args_it->second;
        given.erase(args_it);
        if (first_named && initial_hole < positional.size()) {
            throw RpcError(RPC_INVALID_PARAMETER,
                           "Parameter " + *first_named + " specified twice both as positional and named argument");
        }
        UniValue merged = positional;
        for (size_t i = merged.size(); i < out.size(); ++i) merged.push_back(out[i]);
        out = merged;
    }
    if (!given.empty()) throw RpcError(RPC_INVALID_PARAMETER, "Unknown named parameter " + given.front().first);
    return out;
}

} // namespace cairn
