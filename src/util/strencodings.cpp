#include "util/strencodings.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <system_error>

namespace cairn {
namespace {

bool IsSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

template <typename T>
bool ParseIntegral(std::string_view s, T* out)
{
    // from_chars takes a '-' for signed types but never a '+'; allow one '+'
    // if a digit follows, so "+-1" and "+" stay invalid.
    if (s.size() >= 2 && s[0] == '+' && IsDigit(s[1])) s.remove_prefix(1);
    if (s.empty() || !(IsDigit(s[0]) || (s[0] == '-' && std::numeric_limits<T>::is_signed))) return false;
    T value{};
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 10);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return false;
    if (out) *out = value;
    return true;
}

} // namespace

std::string ToLower(std::string_view s)
{
    std::string r(s);
    for (char& c : r) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return r;
}

std::string ToUpper(std::string_view s)
{
    std::string r(s);
    for (char& c : r) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return r;
}

bool ParseInt64(std::string_view s, int64_t* out) { return ParseIntegral(s, out); }
bool ParseInt32(std::string_view s, int32_t* out) { return ParseIntegral(s, out); }
bool ParseUInt32(std::string_view s, uint32_t* out) { return ParseIntegral(s, out); }

std::vector<std::string> SplitString(std::string_view s, char sep)
{
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        const size_t pos = s.find(sep, start);
        if (pos == std::string_view::npos) break;
        parts.emplace_back(s.substr(start, pos - start));
        start = pos + 1;
    }
    parts.emplace_back(s.substr(start));
    return parts;
}

std::string TrimString(std::string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && IsSpace(s[b])) ++b;
    while (e > b && IsSpace(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

std::optional<int64_t> ParseFixedPoint(std::string_view s, int decimals)
{
    size_t i = 0;
    const bool negative = i < s.size() && s[i] == '-';
    if (negative) ++i;

    // Integer part: "0" or a non-zero digit followed by digits.
    const size_t int_begin = i;
    if (i < s.size() && s[i] == '0') {
        ++i;
    } else if (i < s.size() && IsDigit(s[i])) {
        while (i < s.size() && IsDigit(s[i])) ++i;
    } else {
        return std::nullopt;
    }
    const std::string_view int_digits = s.substr(int_begin, i - int_begin);

    std::string_view frac_digits;
    if (i < s.size() && s[i] == '.') {
        const size_t frac_begin = ++i;
        while (i < s.size() && IsDigit(s[i])) ++i;
        if (i == frac_begin) return std::nullopt;
        frac_digits = s.substr(frac_begin, i - frac_begin);
    }

    // Exponent, saturated: past a billion the answer is 0 or out of range
    // whatever the digits are, and saturating keeps the sums below exact.
    constexpr int64_t EXP_CAP = 1'000'000'000;
    int64_t exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
        const size_t exp_begin = i;
        while (i < s.size() && IsDigit(s[i])) {
            exponent = std::min<int64_t>(exponent * 10 + (s[i] - '0'), EXP_CAP);
            ++i;
        }
        if (i == exp_begin) return std::nullopt;
        if (exp_negative) exponent = -exponent;
    }
    if (i != s.size()) return std::nullopt;

    // The value is D * 10^scale, D being all the digits read as one integer.
    // Drop D's leading and trailing zeros (a trailing zero raises scale).
    std::string digits;
    digits.reserve(int_digits.size() + frac_digits.size());
    digits.append(int_digits).append(frac_digits);
    int64_t scale = exponent + decimals - static_cast<int64_t>(frac_digits.size());
    const size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return int64_t{0};
    const size_t last = digits.find_last_not_of('0');
    scale += static_cast<int64_t>(digits.size() - 1 - last);
    const std::string_view sig = std::string_view(digits).substr(first, last + 1 - first);

    // A non-zero digit below the unit: not representable.
    if (scale < 0) return std::nullopt;
    // 19 digits still fit in uint64; more are past INT64_MAX.
    if (static_cast<int64_t>(sig.size()) + scale > 19) return std::nullopt;
    uint64_t magnitude = 0;
    for (char c : sig) magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
    for (int64_t k = 0; k < scale; ++k) magnitude *= 10;
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    const int64_t value = static_cast<int64_t>(magnitude);
    return negative ? -value : value;
}

std::string FormatAmount(int64_t sats)
{
    constexpr uint64_t COIN = 100'000'000;
    // The magnitude as unsigned, so INT64_MIN needs no special case.
    const uint64_t magnitude = sats < 0 ? uint64_t{0} - static_cast<uint64_t>(sats) : static_cast<uint64_t>(sats);
    std::string frac = std::to_string(magnitude % COIN);
    std::string out;
    if (sats < 0) out.push_back('-');
    out += std::to_string(magnitude / COIN);
    out.push_back('.');
    out.append(8 - frac.size(), '0');
    out += frac;
    return out;
}

std::string FormatMoney(int64_t sats)
{
    // Bitcoin Core's message form: trailing zeros of the fraction dropped,
    // keeping at least two decimals ("1.00", "0.0001", "-0.00000001").
    std::string out = FormatAmount(sats);
    size_t keep = out.find('.') + 3;
    while (out.size() > keep && out.back() == '0') out.pop_back();
    return out;
}

} // namespace cairn
