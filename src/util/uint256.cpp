#include "util/uint256.h"

#include "util/hex.h"

namespace cairn {

template <size_t BITS>
std::string BaseBlob<BITS>::GetHex() const
{
    std::array<uint8_t, WIDTH> rev;
    for (size_t i = 0; i < WIDTH; ++i) rev[i] = m_data[WIDTH - 1 - i];
    return HexStr(rev);
}

template <size_t BITS>
std::optional<BaseBlob<BITS>> BaseBlob<BITS>::FromHex(std::string_view hex)
{
    if (hex.size() != 2 * WIDTH) return std::nullopt;
    auto bytes = TryParseHex(hex);
    if (!bytes) return std::nullopt;
    BaseBlob out;
    for (size_t i = 0; i < WIDTH; ++i) out.m_data[i] = (*bytes)[WIDTH - 1 - i];
    return out;
}

template class BaseBlob<160>;
template class BaseBlob<256>;

const uint256 uint256::ZERO{};
const uint256 uint256::ONE = [] { uint256 v; v.data()[0] = 1; return v; }();

} // namespace cairn
