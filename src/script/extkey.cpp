#include "script/extkey.h"

#include "script/address_params.h"
#include "script/base58check.h"

#include <algorithm>

namespace cairn {
namespace {

constexpr size_t PREFIX_SIZE = 4;

template <typename K>
std::string Encode(const K& key, const std::array<uint8_t, PREFIX_SIZE>& prefix)
{
    uint8_t data[PREFIX_SIZE + BIP32_EXTKEY_SIZE];
    std::copy(prefix.begin(), prefix.end(), data);
    key.Encode(data + PREFIX_SIZE);
    return EncodeBase58Check(data);
}

template <typename K>
std::optional<K> Decode(std::string_view str, const std::array<uint8_t, PREFIX_SIZE>& prefix)
{
    const auto data = DecodeBase58Check(str, PREFIX_SIZE + BIP32_EXTKEY_SIZE);
    if (!data || data->size() != PREFIX_SIZE + BIP32_EXTKEY_SIZE ||
        !std::equal(prefix.begin(), prefix.end(), data->begin())) {
        return std::nullopt;
    }
    K key;
    if (!key.Decode(data->data() + PREFIX_SIZE)) return std::nullopt;
    return key;
}

} // namespace

std::string EncodeExtPubKey(const ExtPubKey& key, ChainType chain)
{
    return Encode(key, GetAddressParams(chain).ext_public_key);
}

std::string EncodeExtKey(const ExtKey& key, ChainType chain)
{
    return Encode(key, GetAddressParams(chain).ext_secret_key);
}

std::optional<ExtPubKey> DecodeExtPubKey(std::string_view str, ChainType chain)
{
    return Decode<ExtPubKey>(str, GetAddressParams(chain).ext_public_key);
}

std::optional<ExtKey> DecodeExtKey(std::string_view str, ChainType chain)
{
    return Decode<ExtKey>(str, GetAddressParams(chain).ext_secret_key);
}

} // namespace cairn
