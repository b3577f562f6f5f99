// Key expressions of output descriptors: parsing, derivation, text form.
#include "script/descriptor_impl.h"

#include "script/address.h"
#include "script/extkey.h"
#include "util/hex.h"

#include <algorithm>
#include <set>

namespace cairn::descriptor_detail {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep)
{
    std::vector<std::string_view> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == sep) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

/** Core's ToIntegral<uint32_t>: digits only, no sign, no whitespace. */
std::optional<uint32_t> ParseDigits(std::string_view s)
{
    if (s.empty()) return std::nullopt;
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + uint64_t(c - '0');
        if (v > 0xffffffffULL) return std::nullopt;
    }
    return uint32_t(v);
}

std::optional<uint32_t> ParseKeyPathNum(std::string_view elem, bool& apostrophe, std::string& error)
{
    bool hardened = false;
    if (!elem.empty() && (elem.back() == '\'' || elem.back() == 'h')) {
        apostrophe = elem.back() == '\'';
        hardened = true;
        elem.remove_suffix(1);
    }
    const auto n = ParseDigits(elem);
    if (!n) {
        error = "Key path value '" + std::string(elem) + "' is not a valid uint32";
        return std::nullopt;
    }
    if (*n >= BIP32_HARDENED) {
        error = "Key path value " + std::to_string(*n) + " is out of range";
        return std::nullopt;
    }
    return *n | (hardened ? BIP32_HARDENED : 0);
}

/** Elements 1.. of `split` (element 0 is the key or fingerprint). */
bool ParseKeyPath(const std::vector<std::string_view>& split, std::vector<uint32_t>& out, bool& apostrophe,
                  bool allow_multipath, size_t mp_index, size_t& mp_count, std::string& error)
{
    bool seen_multipath = false;
    for (size_t i = 1; i < split.size(); ++i) {
        const std::string_view elem = split[i];
        if (!elem.empty() && elem.front() == '<' && elem.back() == '>') {
            if (!allow_multipath) {
                error = "Key path value '" + std::string(elem) +
                        "' specifies multipath in a section where multipath is not allowed";
                return false;
            }
            if (seen_multipath) {
                error = "Multiple multipath key path specifiers found";
                return false;
            }
            seen_multipath = true;
            const auto nums = Split(elem.substr(1, elem.size() - 2), ';');
            if (nums.size() < 2) {
                error = "Multipath key path specifiers must have at least two items";
                return false;
            }
            std::vector<uint32_t> values;
            std::set<uint32_t> seen;
            for (std::string_view num : nums) {
                const auto v = ParseKeyPathNum(num, apostrophe, error);
                if (!v) return false;
                if (!seen.insert(*v).second) {
                    error = "Duplicated key path value " + std::to_string(*v) + " in multipath specifier";
                    return false;
                }
                values.push_back(*v);
            }
            if (mp_count == 0) {
                mp_count = values.size();
            } else if (mp_count != values.size()) {
                error = "Multipath derivation paths have mismatched lengths";
                return false;
            }
            out.push_back(values[std::min(mp_index, values.size() - 1)]);
        } else {
            const auto v = ParseKeyPathNum(elem, apostrophe, error);
            if (!v) return false;
            out.push_back(*v);
        }
    }
    return true;
}

bool IsSpaceChar(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

std::unique_ptr<KeyExpr> ParseKeyInner(std::string_view text, Context ctx, ChainType chain, size_t mp_index,
                                       size_t& mp_count, bool& apostrophe, std::string& error)
{
    const bool permit_uncompressed = ctx == Context::TOP || ctx == Context::P2SH;
    auto split = Split(text, '/');
    const std::string str(split[0]);
    if (str.empty()) {
        error = "No key provided";
        return nullptr;
    }
    if (IsSpaceChar(str.front()) || IsSpaceChar(str.back())) {
        error = "Key '" + str + "' is invalid due to whitespace";
        return nullptr;
    }
    if (split.size() == 1) {
        if (IsHex(str)) {
            const Bytes data = ParseHex(str);
            PubKey pubkey(data);
            if (pubkey.IsValid() && data[0] != 2 && data[0] != 3 && data[0] != 4) {
                error = "Hybrid public keys are not allowed";
                return nullptr;
            }
            if (pubkey.IsFullyValid()) {
                if (permit_uncompressed || pubkey.IsCompressed()) {
                    return std::make_unique<ConstKeyExpr>(pubkey, false, false);
                }
                error = "Uncompressed keys are not allowed";
                return nullptr;
            }
            if (data.size() == 32 && ctx == Context::P2TR) {
                Bytes full{0x02};
                full.insert(full.end(), data.begin(), data.end());
                PubKey even(full);
                if (even.IsFullyValid()) return std::make_unique<ConstKeyExpr>(even, true, false);
            }
            error = "Pubkey '" + str + "' is invalid";
            return nullptr;
        }
        if (const auto key = DecodeSecret(str, chain)) {
            if (permit_uncompressed || key->IsCompressed()) {
                return std::make_unique<ConstKeyExpr>(key->GetPubKey(), ctx == Context::P2TR, true);
            }
            error = "Uncompressed keys are not allowed";
            return nullptr;
        }
    }
    std::optional<ExtKey> extkey = DecodeExtKey(str, chain);
    std::optional<ExtPubKey> extpub = DecodeExtPubKey(str, chain);
    if (!extkey && !extpub) {
        error = "key '" + str + "' is not valid";
        return nullptr;
    }
    DeriveType derive = DeriveType::NO;
    if (split.back() == "*") {
        split.pop_back();
        derive = DeriveType::UNHARDENED;
    } else if (split.back() == "*'" || split.back() == "*h") {
        apostrophe = split.back() == "*'";
        split.pop_back();
        derive = DeriveType::HARDENED;
    }
    std::vector<uint32_t> path;
    if (!ParseKeyPath(split, path, apostrophe, /*allow_multipath=*/true, mp_index, mp_count, error)) return nullptr;
    if (extkey) extpub = extkey->Neuter();
    return std::make_unique<Bip32KeyExpr>(*extpub, extkey, std::move(path), derive, apostrophe);
}

} // namespace

std::string FormatKeyPath(const std::vector<uint32_t>& path, bool apostrophe)
{
    std::string out;
    for (uint32_t step : path) {
        out += '/';
        out += std::to_string(step & ~BIP32_HARDENED);
        if (step & BIP32_HARDENED) out += apostrophe ? '\'' : 'h';
    }
    return out;
}

std::optional<DerivedKey> ConstKeyExpr::Derive(uint32_t) const
{
    // Core gives a constant key an origin of its own: its fingerprint and
    // an empty path, which is what scantxoutset then shows.
    return DerivedKey{m_pubkey, KeyOrigin{GetKeyFingerprint(m_pubkey), {}}};
}

std::string ConstKeyExpr::ToString(ChainType) const
{
    return m_xonly ? HexStr(m_pubkey.span().subspan(1)) : HexStr(m_pubkey.span());
}

std::optional<DerivedKey> Bip32KeyExpr::Derive(uint32_t pos) const
{
    std::vector<uint32_t> path = m_path;
    if (m_derive == DeriveType::UNHARDENED) path.push_back(pos & ~BIP32_HARDENED);
    if (m_derive == DeriveType::HARDENED) path.push_back(pos | BIP32_HARDENED);
    const bool hardened = std::any_of(path.begin(), path.end(), [](uint32_t s) { return s >= BIP32_HARDENED; });

    DerivedKey out;
    out.origin.fingerprint = m_root.Fingerprint();
    out.origin.path = path;
    if (hardened) {
        if (!m_root_private) return std::nullopt;
        ExtKey key = *m_root_private;
        for (uint32_t step : path) {
            ExtKey child;
            if (!key.Derive(child, step)) return std::nullopt;
            key = child;
        }
        out.pubkey = key.key.GetPubKey();
    } else {
        ExtPubKey key = m_root;
        for (uint32_t step : path) {
            ExtPubKey child;
            if (!key.Derive(child, step)) return std::nullopt;
            key = child;
        }
        out.pubkey = key.pubkey;
    }
    return out;
}

std::string Bip32KeyExpr::ToString(ChainType chain) const
{
    std::string out = EncodeExtPubKey(m_root, chain) + FormatKeyPath(m_path, m_apostrophe);
    if (m_derive != DeriveType::NO) {
        out += "/*";
        if (m_derive == DeriveType::HARDENED) out += m_apostrophe ? '\'' : 'h';
    }
    return out;
}

std::optional<DerivedKey> OriginKeyExpr::Derive(uint32_t pos) const
{
    auto key = m_inner->Derive(pos);
    if (!key) return std::nullopt;
    key->origin.fingerprint = m_origin.fingerprint;
    key->origin.path.insert(key->origin.path.begin(), m_origin.path.begin(), m_origin.path.end());
    return key;
}

std::string OriginKeyExpr::ToString(ChainType chain) const
{
    return "[" + HexStr(m_origin.fingerprint) + FormatKeyPath(m_origin.path, m_apostrophe) + "]" +
           m_inner->ToString(chain);
}

std::unique_ptr<KeyExpr> ParseKeyExpr(std::string_view text, Context ctx, ChainType chain, size_t mp_index,
                                      size_t& mp_count, std::string& error)
{
    const auto origin_split = Split(text, ']');
    if (origin_split.size() > 2) {
        error = "Multiple ']' characters found for a single pubkey";
        return nullptr;
    }
    // Set by the last hardened marker seen, so the canonical form keeps the
    // user's style ('h' or '\'').
    bool apostrophe = false;
    if (origin_split.size() == 1) return ParseKeyInner(text, ctx, chain, mp_index, mp_count, apostrophe, error);

    const std::string_view origin = origin_split[0];
    if (origin.empty() || origin[0] != '[') {
        error = std::string("Key origin start '[ character expected but not found, got '") +
                (origin.empty() ? ']' : origin[0]) + "' instead";
        return nullptr;
    }
    const auto slash_split = Split(origin.substr(1), '/');
    if (slash_split[0].size() != 8) {
        error = "Fingerprint is not 4 bytes (" + std::to_string(slash_split[0].size()) +
                " characters instead of 8 characters)";
        return nullptr;
    }
    const std::string fpr_hex(slash_split[0]);
    if (!IsHex(fpr_hex)) {
        error = "Fingerprint '" + fpr_hex + "' is not hex";
        return nullptr;
    }
    KeyOrigin info;
    const Bytes fpr = ParseHex(fpr_hex);
    std::copy(fpr.begin(), fpr.end(), info.fingerprint.begin());
    if (!ParseKeyPath(slash_split, info.path, apostrophe, /*allow_multipath=*/false, mp_index, mp_count, error)) {
        return nullptr;
    }
    auto inner = ParseKeyInner(origin_split[1], ctx, chain, mp_index, mp_count, apostrophe, error);
    if (!inner) return nullptr;
    return std::make_unique<OriginKeyExpr>(std::move(info), std::move(inner), apostrophe);
}

} // namespace cairn::descriptor_detail
