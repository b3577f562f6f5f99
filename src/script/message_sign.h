// Signed messages ("Bitcoin Signed Message"): a compact recoverable ECDSA
// signature, in base64, over the double SHA-256 of a magic prefix and the
// message. Only P2PKH addresses can be verified, as in Bitcoin Core (the
// header byte recovers the key, and the address must be its hash).
#ifndef CAIRN_SCRIPT_MESSAGE_SIGN_H
#define CAIRN_SCRIPT_MESSAGE_SIGN_H

#include "crypto/key.h"
#include "util/chaintype.h"
#include "util/uint256.h"

#include <string>
#include <string_view>

namespace cairn {

inline constexpr std::string_view MESSAGE_MAGIC = "Bitcoin Signed Message:\n";

enum class MessageVerificationResult {
    ERR_INVALID_ADDRESS,     //!< not an address of the network
    ERR_ADDRESS_NO_KEY,      //!< an address, but not P2PKH
    ERR_MALFORMED_SIGNATURE, //!< not base64
    ERR_PUBKEY_NOT_RECOVERED,
    ERR_NOT_SIGNED, //!< recovered a key, but not the address's
    OK,
};

/** Hash256(CompactSize-prefixed MESSAGE_MAGIC || CompactSize-prefixed message). */
uint256 MessageHash(std::string_view message);

/** Signs; false if the key is invalid or signing fails. */
bool MessageSign(const Key& key, std::string_view message, std::string& signature_base64);

MessageVerificationResult MessageVerify(std::string_view address, std::string_view signature_base64,
                                        std::string_view message, ChainType chain);

} // namespace cairn

#endif
