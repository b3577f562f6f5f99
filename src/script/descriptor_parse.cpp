// The descriptor grammar: functions, their arguments and where each may
// appear, with Bitcoin Core's error messages.
#include "script/descriptor.h"
#include "script/descriptor_impl.h"

#include "script/address.h"
#include "script/descriptor_checksum.h"
#include "util/hex.h"

namespace cairn {

using namespace descriptor_detail;

namespace {

/** BIP 342: keys of a multi_a (the 999 of Core's MAX_PUBKEYS_PER_MULTI_A). */
constexpr size_t MAX_PUBKEYS_PER_MULTI_A = 999;
/** BIP 341: depth of a script tree. */
constexpr size_t TAPROOT_CONTROL_MAX_NODE_COUNT = 128;

/** Takes `str` from the front of `sp` if it is there. */
bool Const(std::string_view str, std::string_view& sp)
{
    if (sp.substr(0, str.size()) != str) return false;
    sp.remove_prefix(str.size());
    return true;
}

/** `sp` is "name(...)": strips it to the inside. */
bool Func(std::string_view name, std::string_view& sp)
{
    if (sp.size() < name.size() + 2 || sp.substr(0, name.size()) != name || sp[name.size()] != '(' ||
        sp.back() != ')') {
        return false;
    }
    sp = sp.substr(name.size() + 1, sp.size() - name.size() - 2);
    return true;
}

/** Takes one argument from the front of `sp`: up to the first ',', ')' or
 *  '}' outside brackets. */
std::string_view Expr(std::string_view& sp)
{
    int level = 0;
    size_t i = 0;
    for (; i < sp.size(); ++i) {
        const char c = sp[i];
        if (c == '(' || c == '{') {
            ++level;
        } else if (level && (c == ')' || c == '}')) {
            --level;
        } else if (level == 0 && (c == ')' || c == '}' || c == ',')) {
            break;
        }
    }
    const std::string_view out = sp.substr(0, i);
    sp.remove_prefix(i);
    return out;
}

struct Parser {
    ChainType chain;
    size_t mp_index;
    size_t mp_count{0};
    std::string& error;

    std::unique_ptr<KeyExpr> Key(std::string_view text, Context ctx)
    {
        return ParseKeyExpr(text, ctx, chain, mp_index, mp_count, error);
    }

    std::shared_ptr<Node> Make(Node::Kind kind)
    {
        auto node = std::make_shared<Node>();
        node->kind = kind;
        return node;
    }

    std::shared_ptr<Node> SingleKey(Node::Kind kind, std::string_view name, std::string_view expr, Context key_ctx)
    {
        auto key = Key(expr, key_ctx);
        if (!key) {
            error = std::string(name) + "(): " + error;
            return nullptr;
        }
        auto node = Make(kind);
        node->keys.push_back(std::move(key));
        return node;
    }

    std::shared_ptr<Node> Multi(std::string_view expr, Context ctx, bool tapscript, bool sorted)
    {
        const std::string_view threshold = Expr(expr);
        uint32_t thres = 0;
        {
            // Core's ToIntegral<uint32_t>: digits only, no sign.
            bool ok = !threshold.empty();
            uint64_t v = 0;
            for (char c : threshold) {
                if (c < '0' || c > '9' || v > 0xffffffffULL) {
                    ok = false;
                    break;
                }
                v = v * 10 + uint64_t(c - '0');
            }
            if (!ok || v > 0xffffffffULL) {
                error = "Multi threshold '" + std::string(threshold) + "' is not valid";
                return nullptr;
            }
            thres = uint32_t(v);
        }
        auto node = Make(tapscript ? Node::Kind::MULTI_A : Node::Kind::MULTI);
        node->sorted = sorted;
        node->threshold = thres;
        size_t script_size = 0;
        while (!expr.empty()) {
            if (!Const(",", expr)) {
                error = std::string("Multi: expected ',', got '") + expr[0] + "'";
                return nullptr;
            }
            auto key = Key(Expr(expr), ctx);
            if (!key) {
                error = "Multi: " + error;
                return nullptr;
            }
            script_size += key->ScriptSize() + 1;
            node->keys.push_back(std::move(key));
        }
        const size_t n = node->keys.size();
        if (!tapscript && (n == 0 || n > size_t(MAX_PUBKEYS_PER_MULTISIG))) {
            error = "Cannot have " + std::to_string(n) + " keys in multisig; must have between 1 and " +
                    std::to_string(MAX_PUBKEYS_PER_MULTISIG) + " keys, inclusive";
            return nullptr;
        }
        if (tapscript && (n == 0 || n > MAX_PUBKEYS_PER_MULTI_A)) {
            error = "Cannot have " + std::to_string(n) + " keys in multi_a; must have between 1 and " +
                    std::to_string(MAX_PUBKEYS_PER_MULTI_A) + " keys, inclusive";
            return nullptr;
        }
        if (thres < 1) {
            error = "Multisig threshold cannot be " + std::to_string(thres) + ", must be at least 1";
            return nullptr;
        }
        if (thres > n) {
            error = "Multisig threshold cannot be larger than the number of keys; threshold is " +
                    std::to_string(thres) + " but only " + std::to_string(n) + " keys specified";
            return nullptr;
        }
        if (ctx == Context::TOP && n > 3) {
            error = "Cannot have " + std::to_string(n) + " pubkeys in bare multisig; only at most 3 pubkeys";
            return nullptr;
        }
        if (ctx == Context::P2SH && script_size + 3 > MAX_SCRIPT_ELEMENT_SIZE) {
            error = "P2SH script is too large, " + std::to_string(script_size + 3) + " bytes is larger than " +
                    std::to_string(MAX_SCRIPT_ELEMENT_SIZE) + " bytes";
            return nullptr;
        }
        return node;
    }

    std::shared_ptr<Node> Tr(std::string_view expr)
    {
        auto internal = Key(Expr(expr), Context::P2TR);
        if (!internal) {
            error = "tr(): " + error;
            return nullptr;
        }
        auto node = Make(Node::Kind::TR);
        node->keys.push_back(std::move(internal));
        if (expr.empty()) return node;
        if (!Const(",", expr)) {
            error = std::string("tr: expected ',', got '") + expr[0] + "'";
            return nullptr;
        }
        // The path from the root to the leaf being read: false while in a
        // left branch, true once its ',' has moved us to the right one.
        std::vector<bool> branches;
        do {
            while (Const("{", expr)) {
                branches.push_back(false);
                if (branches.size() > TAPROOT_CONTROL_MAX_NODE_COUNT) {
                    error = "tr() supports at most " + std::to_string(TAPROOT_CONTROL_MAX_NODE_COUNT) +
                            " nesting levels";
                    return nullptr;
                }
            }
            std::string_view leaf_text = Expr(expr);
            auto leaf = Script(leaf_text, Context::P2TR);
            if (!leaf) return nullptr;
            node->subs.push_back(std::move(leaf));
            node->depths.push_back(int(branches.size()));
            while (!branches.empty() && branches.back()) {
                if (!Const("}", expr)) {
                    error = "tr(): expected '}' after script expression";
                    return nullptr;
                }
                branches.pop_back();
            }
            if (!branches.empty() && !branches.back()) {
                if (!Const(",", expr)) {
                    error = "tr(): expected ',' after script expression";
                    return nullptr;
                }
                branches.back() = true;
            }
        } while (!branches.empty());
        if (!expr.empty()) {
            error = "tr(): expected ')' after script expression";
            return nullptr;
        }
        return node;
    }

    /** One script expression, taken from the front of `sp`. */
    std::shared_ptr<Node> Script(std::string_view& sp, Context ctx)
    {
        std::string_view expr = Expr(sp);
        const bool top = ctx == Context::TOP;
        const bool tr = ctx == Context::P2TR;
        if (Func("pk", expr)) {
            auto node = SingleKey(Node::Kind::PK, "pk", expr, ctx);
            if (node) node->tapscript = tr;
            return node;
        }
        if (Func("pkh", expr)) {
            // Inside tr() Core reads pkh() as Miniscript; its script is the
            // same template over the x-only key.
            auto node = SingleKey(Node::Kind::PKH, "pkh", expr, ctx);
            if (node) node->tapscript = tr;
            return node;
        }
        if (Func("combo", expr)) {
            if (!top) {
                error = "Can only have combo() at top level";
                return nullptr;
            }
            return SingleKey(Node::Kind::COMBO, "combo", expr, ctx);
        }
        for (const bool tapscript : {false, true}) {
            for (const bool sorted : {false, true}) {
                const std::string name = std::string(sorted ? "sorted" : "") + (tapscript ? "multi_a" : "multi");
                std::string_view inner = expr;
                if (!Func(name, inner)) continue;
                if (!tapscript && (top || ctx == Context::P2SH || ctx == Context::P2WSH)) {
                    return Multi(inner, ctx, false, sorted);
                }
                if (tapscript && tr) return Multi(inner, ctx, true, sorted);
                error = tapscript ? "Can only have multi_a/sortedmulti_a inside tr()"
                                  : "Can only have multi/sortedmulti at top level, in sh(), or in wsh()";
                return nullptr;
            }
        }
        if (Func("wpkh", expr)) {
            if (!top && ctx != Context::P2SH) {
                error = "Can only have wpkh() at top level or inside sh()";
                return nullptr;
            }
            return SingleKey(Node::Kind::WPKH, "wpkh", expr, Context::P2WPKH);
        }
        if (Func("sh", expr)) {
            if (!top) {
                error = "Can only have sh() at top level";
                return nullptr;
            }
            auto sub = Script(expr, Context::P2SH);
            if (!sub || !expr.empty()) return nullptr;
            auto node = Make(Node::Kind::SH);
            node->subs.push_back(std::move(sub));
            return node;
        }
        if (Func("wsh", expr)) {
            if (!top && ctx != Context::P2SH) {
                error = "Can only have wsh() at top level or inside sh()";
                return nullptr;
            }
            auto sub = Script(expr, Context::P2WSH);
            if (!sub || !expr.empty()) return nullptr;
            auto node = Make(Node::Kind::WSH);
            node->subs.push_back(std::move(sub));
            return node;
        }
        if (Func("addr", expr)) {
            if (!top) {
                error = "Can only have addr() at top level";
                return nullptr;
            }
            Destination dest = DecodeDestination(expr, chain);
            if (!IsValidDestination(dest)) {
                error = "Address is not valid";
                return nullptr;
            }
            auto node = Make(Node::Kind::ADDR);
            node->dest = std::move(dest);
            return node;
        }
        if (Func("tr", expr)) {
            if (!top) {
                error = "Can only have tr at top level";
                return nullptr;
            }
            return Tr(expr);
        }
        if (Func("rawtr", expr)) {
            if (!top) {
                error = "Can only have rawtr at top level";
                return nullptr;
            }
            std::string_view arg = Expr(expr);
            if (!expr.empty()) {
                error = "rawtr(): only one key expected.";
                return nullptr;
            }
            auto node = SingleKey(Node::Kind::RAWTR, "rawtr", arg, Context::P2TR);
            return node;
        }
        if (Func("raw", expr)) {
            if (!top) {
                error = "Can only have raw() at top level";
                return nullptr;
            }
            const auto bytes = TryParseHex(expr);
            if (!bytes || !IsHex(expr)) {
                error = "Raw script is not hex";
                return nullptr;
            }
            auto node = Make(Node::Kind::RAW);
            node->script = cairn::Script(*bytes);
            return node;
        }
        if (ctx == Context::P2SH) {
            error = "A function is needed within P2SH";
        } else if (ctx == Context::P2WSH) {
            error = "A function is needed within P2WSH";
        } else {
            error = "'" + std::string(expr) + "' is not a valid descriptor function";
        }
        return nullptr;
    }
};

/** Splits off and checks "#checksum"; on success `sp` is the part before it. */
bool CheckChecksum(std::string_view& sp, bool require_checksum, std::string& error, std::string* out_checksum = nullptr)
{
    const size_t hash = sp.find('#');
    if (hash != std::string_view::npos && sp.find('#', hash + 1) != std::string_view::npos) {
        error = "Multiple '#' symbols";
        return false;
    }
    const bool has = hash != std::string_view::npos;
    if (!has && require_checksum) {
        error = "Missing checksum";
        return false;
    }
    const std::string_view payload = has ? sp.substr(0, hash) : sp;
    const std::string_view given = has ? sp.substr(hash + 1) : std::string_view{};
    if (has && given.size() != 8) {
        error = "Expected 8 character checksum, not " + std::to_string(given.size()) + " characters";
        return false;
    }
    std::string checksum = DescriptorChecksum(payload);
    if (checksum.empty()) {
        error = "Invalid characters in payload";
        return false;
    }
    if (has && given != checksum) {
        error = "Provided checksum '" + std::string(given) + "' does not match computed checksum '" + checksum + "'";
        return false;
    }
    if (out_checksum) *out_checksum = std::move(checksum);
    sp = payload;
    return true;
}

} // namespace

std::vector<std::unique_ptr<Descriptor>> ParseDescriptor(std::string_view text, ChainType chain, std::string& error,
                                                         bool require_checksum)
{
    error.clear();
    std::string_view sp = text;
    if (!CheckChecksum(sp, require_checksum, error)) return {};

    std::vector<std::unique_ptr<Descriptor>> out;
    // A multipath step "<a;b;...>" turns one text into one descriptor per
    // alternative: parse once per alternative, picking each in turn.
    size_t count = 1;
    for (size_t index = 0; index < count; ++index) {
        Parser parser{chain, index, 0, error};
        std::string_view rest = sp;
        auto root = parser.Script(rest, Context::TOP);
        if (!root || !rest.empty()) return {};
        if (index == 0 && parser.mp_count > 1) count = parser.mp_count;
        out.push_back(std::make_unique<Descriptor>(std::move(root), chain));
    }
    return out;
}

std::string GetDescriptorChecksum(std::string_view text)
{
    std::string error;
    std::string checksum;
    if (!CheckChecksum(text, false, error, &checksum)) return "";
    return checksum;
}

} // namespace cairn
