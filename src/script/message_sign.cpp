#include "script/message_sign.h"

#include "crypto/hash.h"
#include "script/address.h"
#include "util/base64.h"
#include "util/serialize.h"

#include <variant>

namespace cairn {

uint256 MessageHash(std::string_view message)
{
    Bytes ser;
    VectorWriter w(ser);
    WriteVarBytes(w, AsBytes(MESSAGE_MAGIC));
    WriteVarBytes(w, AsBytes(message));
    return Hash256(ser);
}

bool MessageSign(const Key& key, std::string_view message, std::string& signature_base64)
{
    uint8_t sig[65];
    if (!key.SignCompact(MessageHash(message), sig)) return false;
    signature_base64 = EncodeBase64(ByteSpan{sig, sizeof(sig)});
    return true;
}

MessageVerificationResult MessageVerify(std::string_view address, std::string_view signature_base64,
                                        std::string_view message, ChainType chain)
{
    const Destination dest = DecodeDestination(address, chain);
    if (!IsValidDestination(dest)) return MessageVerificationResult::ERR_INVALID_ADDRESS;
    const auto* pkhash = std::get_if<PKHash>(&dest);
    if (!pkhash) return MessageVerificationResult::ERR_ADDRESS_NO_KEY;

    const auto sig = DecodeBase64(signature_base64);
    if (!sig) return MessageVerificationResult::ERR_MALFORMED_SIGNATURE;

    PubKey pubkey;
    if (!pubkey.RecoverCompact(MessageHash(message), *sig)) return MessageVerificationResult::ERR_PUBKEY_NOT_RECOVERED;
    if (PKHash(pubkey) != *pkhash) return MessageVerificationResult::ERR_NOT_SIGNED;
    return MessageVerificationResult::OK;
}

} // namespace cairn
