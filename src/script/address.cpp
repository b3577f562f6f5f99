#include "script/address.h"

#include "script/address_params.h"
#include "script/base58check.h"
#include "script/bech32_errors.h"
#include "util/base58.h"
#include "util/bech32.h"
#include "util/strencodings.h"

#include <algorithm>

namespace cairn {

namespace {

constexpr size_t HASH160_SIZE = 20;
constexpr size_t WITNESS_PROGRAM_MIN = 2;
constexpr size_t WITNESS_PROGRAM_MAX = 40;
constexpr size_t SECRET_SIZE = 32;
// Longest Base58 string Core still decodes (without checksum) to tell a bad
// checksum from garbage in its error message.
constexpr size_t BASE58_DIAGNOSIS_MAX = 100;

std::string Base58CheckWithPrefix(ByteSpan prefix, ByteSpan payload)
{
    Bytes data(prefix.begin(), prefix.end());
    data.insert(data.end(), payload.begin(), payload.end());
    return EncodeBase58Check(data);
}

std::string Segwit(std::string_view hrp, unsigned version, ByteSpan program)
{
    Bytes values{uint8_t(version)};
    ConvertBits<8, 5, true>(values, program);
    return Bech32Encode(version == 0 ? Bech32Encoding::BECH32 : Bech32Encoding::BECH32M, hrp, values);
}

struct Encoder {
    const AddressParams& p;
    std::string operator()(const NoDestination&) const { return {}; }
    std::string operator()(const PubKeyDestination&) const { return {}; }
    std::string operator()(const PKHash& h) const { return Base58CheckWithPrefix(p.pubkey_address, h.span()); }
    std::string operator()(const ScriptHash& h) const { return Base58CheckWithPrefix(p.script_address, h.span()); }
    std::string operator()(const WitnessV0KeyHash& h) const { return Segwit(p.bech32_hrp, 0, h.span()); }
    std::string operator()(const WitnessV0ScriptHash& h) const { return Segwit(p.bech32_hrp, 0, h.span()); }
    std::string operator()(const WitnessV1Taproot& k) const { return Segwit(p.bech32_hrp, 1, k.span()); }
    std::string operator()(const PayToAnchor&) const
    {
        return Segwit(p.bech32_hrp, PayToAnchor::VERSION, PayToAnchor::PROGRAM);
    }
    std::string operator()(const WitnessUnknown& w) const
    {
        if (w.version < 1 || w.version > 16 || w.program.size() < WITNESS_PROGRAM_MIN ||
            w.program.size() > WITNESS_PROGRAM_MAX) {
            return {};
        }
        return Segwit(p.bech32_hrp, w.version, w.program);
    }
};

bool StartsWith(ByteSpan data, ByteSpan prefix)
{
    return data.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), data.begin());
}

Destination DecodeBase58Destination(const Bytes& data, const AddressParams& p, std::string& error)
{
    const ByteSpan pkh_prefix = p.pubkey_address;
    const ByteSpan sh_prefix = p.script_address;
    if (data.size() == pkh_prefix.size() + HASH160_SIZE && StartsWith(data, pkh_prefix)) {
        return PKHash(uint160(ByteSpan(data).subspan(pkh_prefix.size())));
    }
    if (data.size() == sh_prefix.size() + HASH160_SIZE && StartsWith(data, sh_prefix)) {
        return ScriptHash(uint160(ByteSpan(data).subspan(sh_prefix.size())));
    }
    // A known prefix with the wrong length is a length problem; anything else
    // is some other network's or some other kind of Base58 string.
    if (StartsWith(data, sh_prefix) || StartsWith(data, pkh_prefix)) {
        error = "Invalid length for Base58 address (P2PKH or P2SH)";
    } else {
        error = "Invalid or unsupported Base58-encoded address.";
    }
    return NoDestination();
}

Destination DecodeBech32Destination(const Bech32Decoded& dec, std::string_view hrp, std::string& error)
{
    if (dec.data.empty()) {
        error = "Empty Bech32 data section";
        return NoDestination();
    }
    if (dec.hrp != hrp) {
        error = "Invalid or unsupported prefix for Segwit (Bech32) address (expected " + std::string(hrp) + ", got " +
                dec.hrp + ").";
        return NoDestination();
    }
    const unsigned version = dec.data[0];
    // BIP 350: v0 keeps the original checksum, every later version uses the new one.
    if (version == 0 && dec.encoding != Bech32Encoding::BECH32) {
        error = "Version 0 witness address must use Bech32 checksum";
        return NoDestination();
    }
    if (version != 0 && dec.encoding != Bech32Encoding::BECH32M) {
        error = "Version 1+ witness address must use Bech32m checksum";
        return NoDestination();
    }
    Bytes program;
    if (!ConvertBits<5, 8, false>(program, ByteSpan(dec.data).subspan(1))) {
        error = "Invalid padding in Bech32 data section";
        return NoDestination();
    }
    const std::string size_text =
        "(" + std::to_string(program.size()) + (program.size() == 1 ? " byte)" : " bytes)");
    if (version == 0) {
        if (program.size() == 20) return WitnessV0KeyHash(uint160(program));
        if (program.size() == 32) return WitnessV0ScriptHash(uint256(program));
        error = "Invalid Bech32 v0 address program size " + size_text + ", per BIP141";
        return NoDestination();
    }
    if (version == 1 && program.size() == 32) return WitnessV1Taproot(XOnlyPubKey(ByteSpan(program)));
    if (version == PayToAnchor::VERSION && std::ranges::equal(program, PayToAnchor::PROGRAM)) return PayToAnchor();
    if (version > 16) {
        error = "Invalid Bech32 address witness version";
        return NoDestination();
    }
    if (program.size() < WITNESS_PROGRAM_MIN || program.size() > WITNESS_PROGRAM_MAX) {
        error = "Invalid Bech32 address program size " + size_text;
        return NoDestination();
    }
    return WitnessUnknown(version, std::move(program));
}

} // namespace

std::string EncodeDestination(const Destination& dest, ChainType chain)
{
    return std::visit(Encoder{GetAddressParams(chain)}, dest);
}

Destination DecodeDestination(std::string_view str, ChainType chain, std::string& error_msg,
                              std::vector<int>* error_locations)
{
    error_msg.clear();
    if (error_locations) error_locations->clear();
    const AddressParams& p = GetAddressParams(chain);

    // Which decoder runs is decided by the HRP alone, so a Bech32 address of
    // another network is reported as bad Base58 (as Bitcoin Core does).
    const bool is_bech32 = ToLower(str.substr(0, p.bech32_hrp.size())) == p.bech32_hrp;

    if (!is_bech32) {
        if (std::optional<Bytes> data = DecodeBase58Check(str, HASH160_SIZE + 1)) {
            return DecodeBase58Destination(*data, p, error_msg);
        }
        if (DecodeBase58(str, BASE58_DIAGNOSIS_MAX)) {
            error_msg = "Invalid checksum or length of Base58 address (P2PKH or P2SH)";
        } else {
            error_msg = "Invalid or unsupported Segwit (Bech32) or Base58 encoding.";
        }
        return NoDestination();
    }

    const Bech32Decoded dec = Bech32Decode(str);
    if (dec.encoding != Bech32Encoding::INVALID) return DecodeBech32Destination(dec, p.bech32_hrp, error_msg);

    Bech32Error located = LocateBech32Errors(str);
    error_msg = std::move(located.message);
    if (error_locations) *error_locations = std::move(located.locations);
    return NoDestination();
}

Destination DecodeDestination(std::string_view str, ChainType chain)
{
    std::string error;
    return DecodeDestination(str, chain, error);
}

bool IsValidDestinationString(std::string_view str, ChainType chain)
{
    return IsValidDestination(DecodeDestination(str, chain));
}

std::string EncodeSecret(const Key& key, ChainType chain)
{
    if (!key.IsValid()) return {};
    const AddressParams& p = GetAddressParams(chain);
    Bytes data(p.secret_key.begin(), p.secret_key.end());
    data.insert(data.end(), key.span().begin(), key.span().end());
    if (key.IsCompressed()) data.push_back(1);
    std::string out = EncodeBase58Check(data);
    std::fill(data.begin(), data.end(), 0); // best effort: do not leave the secret in freed memory
    return out;
}

std::optional<Key> DecodeSecret(std::string_view str, ChainType chain)
{
    const AddressParams& p = GetAddressParams(chain);
    const size_t prefix_len = p.secret_key.size();
    std::optional<Bytes> data = DecodeBase58Check(str, prefix_len + SECRET_SIZE + 1);
    if (!data) return std::nullopt;
    std::optional<Key> result;
    const bool compressed = data->size() == prefix_len + SECRET_SIZE + 1 && data->back() == 1;
    if ((data->size() == prefix_len + SECRET_SIZE || compressed) && StartsWith(*data, p.secret_key)) {
        Key key;
        key.Set(ByteSpan(*data).subspan(prefix_len, SECRET_SIZE), compressed);
        if (key.IsValid()) result = std::move(key);
    }
    std::fill(data->begin(), data->end(), 0);
    return result;
}

} // namespace cairn
