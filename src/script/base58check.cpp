#include "script/base58check.h"

#include "crypto/hash.h"
#include "util/base58.h"
#include "util/uint256.h"

#include <algorithm>
#include <limits>

namespace cairn {

namespace {
constexpr size_t CHECKSUM_LEN = 4;
} // namespace

std::string EncodeBase58Check(ByteSpan payload)
{
    Bytes buf(payload.begin(), payload.end());
    const uint256 hash = Hash256(payload);
    buf.insert(buf.end(), hash.begin(), hash.begin() + CHECKSUM_LEN);
    return EncodeBase58(buf);
}

std::optional<Bytes> DecodeBase58Check(std::string_view str, size_t max_len)
{
    const size_t limit = max_len > std::numeric_limits<size_t>::max() - CHECKSUM_LEN
                             ? std::numeric_limits<size_t>::max()
                             : max_len + CHECKSUM_LEN;
    std::optional<Bytes> raw = DecodeBase58(str, limit);
    if (!raw || raw->size() < CHECKSUM_LEN) return std::nullopt;
    const size_t n = raw->size() - CHECKSUM_LEN;
    const uint256 hash = Hash256(ByteSpan{raw->data(), n});
    if (!std::equal(hash.begin(), hash.begin() + CHECKSUM_LEN, raw->begin() + n)) return std::nullopt;
    raw->resize(n);
    return raw;
}

} // namespace cairn
