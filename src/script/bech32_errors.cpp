#include "script/bech32_errors.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>

namespace cairn {

namespace {

constexpr std::string_view CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr size_t CHECKSUM_LEN = 6;

int CharValue(char c)
{
    const char lower = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    const size_t pos = CHARSET.find(lower);
    return pos == std::string_view::npos ? -1 : int(pos);
}

/** One step of BIP 173's checksum polynomial arithmetic. The map from input
 *  values to residue is affine over GF(2): that is what locating errors rests on. */
uint32_t PolymodStep(uint32_t chk, uint8_t v)
{
    static constexpr uint32_t GEN[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    const uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
        if ((top >> i) & 1) chk ^= GEN[i];
    }
    return chk;
}

uint32_t Polymod(std::string_view hrp_lower, const std::vector<uint8_t>& values)
{
    uint32_t chk = 1;
    for (char c : hrp_lower) chk = PolymodStep(chk, uint8_t(c) >> 5);
    chk = PolymodStep(chk, 0);
    for (char c : hrp_lower) chk = PolymodStep(chk, uint8_t(c) & 31);
    for (uint8_t v : values) chk = PolymodStep(chk, v);
    return chk;
}

/**
 * Data positions (indexes into `values`) of at most two symbol errors that
 * explain `residue`, or nullopt. Every change of value e at position p
 * shifts the checksum by a fixed amount that depends only on (p, e), so
 * this is a lookup among the (p, e) shifts. The code's distance (at least
 * 5 within 89 characters) makes any such explanation unique.
 */
std::optional<std::vector<int>> ExplainResidue(uint32_t residue, size_t n)
{
    // shift[p][bit]: effect of flipping one bit of the value at position p.
    std::vector<std::array<uint32_t, 5>> shift(n);
    for (size_t p = 0; p < n; ++p) {
        for (int bit = 0; bit < 5; ++bit) {
            uint32_t chk = PolymodStep(0, uint8_t(1 << bit));
            for (size_t k = p + 1; k < n; ++k) chk = PolymodStep(chk, 0);
            shift[p][bit] = chk;
        }
    }
    auto effect = [&](size_t p, unsigned e) {
        uint32_t r = 0;
        for (int bit = 0; bit < 5; ++bit) {
            if ((e >> bit) & 1) r ^= shift[p][bit];
        }
        return r;
    };
    std::unordered_map<uint32_t, size_t> by_effect; // effect -> position
    for (size_t p = 0; p < n; ++p) {
        for (unsigned e = 1; e < 32; ++e) {
            const uint32_t x = effect(p, e);
            if (x == residue) return std::vector<int>{int(p)};
            by_effect.emplace(x, p);
        }
    }
    for (size_t p = 0; p < n; ++p) {
        for (unsigned e = 1; e < 32; ++e) {
            auto it = by_effect.find(residue ^ effect(p, e));
            if (it != by_effect.end() && it->second != p) {
                return std::vector<int>{int(std::min(p, it->second)), int(std::max(p, it->second))};
            }
        }
    }
    return std::nullopt;
}

} // namespace

Bech32Error LocateBech32Errors(std::string_view str, size_t max_len)
{
    Bech32Error err;
    if (str.size() > max_len) {
        for (size_t i = max_len; i < str.size(); ++i) err.locations.push_back(int(i));
        err.message = "Bech32 string too long";
        return err;
    }

    bool lower = false, upper = false;
    for (size_t i = 0; i < str.size(); ++i) {
        const unsigned char c = str[i];
        if (c >= 'a' && c <= 'z') {
            if (upper) err.locations.push_back(int(i));
            else lower = true;
        } else if (c >= 'A' && c <= 'Z') {
            if (lower) err.locations.push_back(int(i));
            else upper = true;
        } else if (c < 33 || c > 126) {
            err.locations.push_back(int(i));
        }
    }
    if (!err.locations.empty()) {
        err.message = "Invalid character or mixed case";
        return err;
    }

    const size_t sep = str.rfind('1');
    if (sep == std::string_view::npos) {
        err.message = "Missing separator";
        return err;
    }
    if (sep == 0 || sep + CHECKSUM_LEN >= str.size()) {
        err.message = "Invalid separator position";
        err.locations.push_back(int(sep));
        return err;
    }

    std::string hrp;
    for (char c : str.substr(0, sep)) hrp.push_back((c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c);
    std::vector<uint8_t> values;
    for (size_t i = sep + 1; i < str.size(); ++i) {
        const int v = CharValue(str[i]);
        if (v < 0) {
            err.message = "Invalid Base 32 character";
            err.locations.push_back(int(i));
            return err;
        }
        values.push_back(uint8_t(v));
    }

    const uint32_t chk = Polymod(hrp, values);
    std::optional<std::vector<int>> best;
    std::string best_message = "Invalid checksum";
    for (auto [constant, message] : {std::pair<uint32_t, const char*>{1, "Invalid Bech32 checksum"},
                                     std::pair<uint32_t, const char*>{0x2bc830a3, "Invalid Bech32m checksum"}}) {
        const uint32_t residue = chk ^ constant;
        if (residue == 0) return {}; // valid for this variant: nothing to report
        std::optional<std::vector<int>> found = ExplainResidue(residue, values.size());
        if (found && (!best || found->size() < best->size())) {
            best = std::move(found);
            best_message = message;
        }
    }
    err.message = best_message;
    if (best) {
        for (int p : *best) err.locations.push_back(int(sep + 1) + p);
    }
    return err;
}

} // namespace cairn
