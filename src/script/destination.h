// What an output pays to, as a value: the thing an address names. A
// Destination is recovered from a scriptPubKey (ExtractDestination) and
// turned back into one (GetScriptForDestination); address.h gives it its
// text form per network.
#ifndef CAIRN_SCRIPT_DESTINATION_H
#define CAIRN_SCRIPT_DESTINATION_H

#include "crypto/pubkey.h"
#include "primitives/script.h"
#include "util/span.h"
#include "util/uint256.h"

#include <compare>
#include <variant>

namespace cairn {

/** No address: a script that matches no address template (kept, so that
 *  GetScriptForDestination gives it back), or nothing at all. */
struct NoDestination {
    Script script;
    NoDestination() = default;
    explicit NoDestination(Script s) : script(std::move(s)) {}
    friend bool operator==(const NoDestination&, const NoDestination&) = default;
    friend auto operator<=>(const NoDestination&, const NoDestination&) = default;
};

/** Bare pay-to-pubkey. It has a script but no address: P2PK never had one. */
struct PubKeyDestination {
    PubKey pubkey;
    explicit PubKeyDestination(PubKey pk) : pubkey(std::move(pk)) {}
    friend bool operator==(const PubKeyDestination&, const PubKeyDestination&) = default;
    friend auto operator<=>(const PubKeyDestination&, const PubKeyDestination&) = default;
};

/** Hash160 of a public key: P2PKH. */
struct PKHash : uint160 {
    PKHash() = default;
    explicit PKHash(const uint160& h) : uint160(h) {}
    explicit PKHash(const PubKey& pubkey);
    friend bool operator==(const PKHash&, const PKHash&) = default;
    friend auto operator<=>(const PKHash&, const PKHash&) = default;
};

/** Hash160 of a redeem script: P2SH. */
struct ScriptHash : uint160 {
    ScriptHash() = default;
    explicit ScriptHash(const uint160& h) : uint160(h) {}
    explicit ScriptHash(const Script& redeem_script);
    friend bool operator==(const ScriptHash&, const ScriptHash&) = default;
    friend auto operator<=>(const ScriptHash&, const ScriptHash&) = default;
};

/** Hash160 of a compressed public key: P2WPKH. */
struct WitnessV0KeyHash : uint160 {
    WitnessV0KeyHash() = default;
    explicit WitnessV0KeyHash(const uint160& h) : uint160(h) {}
    explicit WitnessV0KeyHash(const PubKey& pubkey);
    friend bool operator==(const WitnessV0KeyHash&, const WitnessV0KeyHash&) = default;
    friend auto operator<=>(const WitnessV0KeyHash&, const WitnessV0KeyHash&) = default;
};

/** Single SHA-256 of a witness script: P2WSH. */
struct WitnessV0ScriptHash : uint256 {
    WitnessV0ScriptHash() = default;
    explicit WitnessV0ScriptHash(const uint256& h) : uint256(h) {}
    explicit WitnessV0ScriptHash(const Script& witness_script);
    friend bool operator==(const WitnessV0ScriptHash&, const WitnessV0ScriptHash&) = default;
    friend auto operator<=>(const WitnessV0ScriptHash&, const WitnessV0ScriptHash&) = default;
};

/** The 32-byte x-only output key: P2TR. Not checked to be on the curve: an
 *  output can pay to any 32 bytes. */
struct WitnessV1Taproot : XOnlyPubKey {
    WitnessV1Taproot() = default;
    explicit WitnessV1Taproot(const XOnlyPubKey& output_key) : XOnlyPubKey(output_key) {}
    friend bool operator==(const WitnessV1Taproot&, const WitnessV1Taproot&) = default;
    friend auto operator<=>(const WitnessV1Taproot&, const WitnessV1Taproot&) = default;
};

/** Pay-to-anchor: the keyless witness v1 program 0x4e73 (bc1pfeessrawgf). */
struct PayToAnchor {
    static constexpr int VERSION = 1;
    static constexpr uint8_t PROGRAM[2] = {0x4e, 0x73};
    friend bool operator==(const PayToAnchor&, const PayToAnchor&) = default;
    friend auto operator<=>(const PayToAnchor&, const PayToAnchor&) = default;
};

/** A witness program of a version (1..16) or size (2..40) that has no
 *  meaning yet; spendable by anyone until a soft fork gives it one. */
struct WitnessUnknown {
    unsigned version{0};
    Bytes program;
    WitnessUnknown() = default;
    WitnessUnknown(unsigned v, Bytes p) : version(v), program(std::move(p)) {}
    friend bool operator==(const WitnessUnknown&, const WitnessUnknown&) = default;
    friend auto operator<=>(const WitnessUnknown&, const WitnessUnknown&) = default;
};

using Destination = std::variant<NoDestination, PubKeyDestination, PKHash, ScriptHash, WitnessV0KeyHash,
                                 WitnessV0ScriptHash, WitnessV1Taproot, PayToAnchor, WitnessUnknown>;

/** True for destinations with an address (not NoDestination or PubKeyDestination). */
bool IsValidDestination(const Destination& dest);

/**
 * Parses a scriptPubKey into `dest`. Returns true when it has an address.
 * A bare P2PK script sets a PubKeyDestination and returns false; multisig,
 * OP_RETURN and nonstandard scripts set a NoDestination holding the script
 * and return false.
 */
bool ExtractDestination(const Script& script_pubkey, Destination& dest);

/** The scriptPubKey paying to `dest`; a NoDestination gives its script. */
Script GetScriptForDestination(const Destination& dest);

} // namespace cairn

#endif
