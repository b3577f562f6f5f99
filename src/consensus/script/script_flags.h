// Script verification flags. The bit values are Bitcoin Core's, so that
// flag sets written down anywhere (test vectors, logs, peers' reject
// messages) mean the same here. Consensus enables a subset per deployment;
// the rest are policy, applied only to what we relay.
#ifndef CAIRN_CONSENSUS_SCRIPT_SCRIPT_FLAGS_H
#define CAIRN_CONSENSUS_SCRIPT_SCRIPT_FLAGS_H

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cairn {

using ScriptFlags = uint32_t;

inline constexpr ScriptFlags SCRIPT_VERIFY_NONE = 0;
/** BIP 16: evaluate P2SH redeem scripts. */
inline constexpr ScriptFlags SCRIPT_VERIFY_P2SH = 1U << 0;
/** Policy: signatures strictly DER with a defined hash type, public keys 33 or 65 bytes. */
inline constexpr ScriptFlags SCRIPT_VERIFY_STRICTENC = 1U << 1;
/** BIP 66: strict DER signatures. */
inline constexpr ScriptFlags SCRIPT_VERIFY_DERSIG = 1U << 2;
/** Policy (BIP 62 rule 5): S at most half the curve order. */
inline constexpr ScriptFlags SCRIPT_VERIFY_LOW_S = 1U << 3;
/** BIP 147: CHECKMULTISIG's extra stack element must be empty. */
inline constexpr ScriptFlags SCRIPT_VERIFY_NULLDUMMY = 1U << 4;
/** Policy (BIP 62 rule 2): scriptSig only pushes. */
inline constexpr ScriptFlags SCRIPT_VERIFY_SIGPUSHONLY = 1U << 5;
/** Policy (BIP 62 rules 3 and 4): minimal pushes and minimal numbers. */
inline constexpr ScriptFlags SCRIPT_VERIFY_MINIMALDATA = 1U << 6;
/** Policy: fail on NOP1, NOP4-NOP10 so that they can be given meaning later. */
inline constexpr ScriptFlags SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS = 1U << 7;
/** Policy (BIP 62 rule 6): exactly one stack element after evaluation. */
inline constexpr ScriptFlags SCRIPT_VERIFY_CLEANSTACK = 1U << 8;
/** BIP 65: OP_CHECKLOCKTIMEVERIFY. */
inline constexpr ScriptFlags SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY = 1U << 9;
/** BIP 112: OP_CHECKSEQUENCEVERIFY. */
inline constexpr ScriptFlags SCRIPT_VERIFY_CHECKSEQUENCEVERIFY = 1U << 10;
/** BIP 141: segregated witness. */
inline constexpr ScriptFlags SCRIPT_VERIFY_WITNESS = 1U << 11;
/** Policy: fail on witness versions and program sizes with no meaning yet. */
inline constexpr ScriptFlags SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM = 1U << 12;
/** Policy in witness v0 (consensus in tapscript): IF/NOTIF take exactly empty or 0x01. */
inline constexpr ScriptFlags SCRIPT_VERIFY_MINIMALIF = 1U << 13;
/** Policy (BIP 146): a failed signature check must have had an empty signature. */
inline constexpr ScriptFlags SCRIPT_VERIFY_NULLFAIL = 1U << 14;
/** Policy: witness v0 public keys must be compressed. */
inline constexpr ScriptFlags SCRIPT_VERIFY_WITNESS_PUBKEYTYPE = 1U << 15;
/** Policy: no OP_CODESEPARATOR and no FindAndDelete match in legacy scripts. */
inline constexpr ScriptFlags SCRIPT_VERIFY_CONST_SCRIPTCODE = 1U << 16;
/** BIP 341/342: taproot and tapscript. */
inline constexpr ScriptFlags SCRIPT_VERIFY_TAPROOT = 1U << 17;
/** Policy: fail on unknown tapleaf versions. */
inline constexpr ScriptFlags SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION = 1U << 18;
/** Policy: fail on OP_SUCCESSx in tapscript. */
inline constexpr ScriptFlags SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS = 1U << 19;
/** Policy: fail on public keys of unknown type in tapscript. */
inline constexpr ScriptFlags SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE = 1U << 20;

/** Every flag above, OR-ed. */
inline constexpr ScriptFlags SCRIPT_VERIFY_ALL = (1U << 21) - 1;

struct ScriptFlagName {
    std::string_view name; //!< as in the test vectors, without SCRIPT_VERIFY_
    ScriptFlags flag;
};

/** All named flags, lowest bit first. */
std::span<const ScriptFlagName> ScriptFlagNames();

/** Parses "P2SH,WITNESS" (or "NONE", or ""); nullopt on an unknown name. */
std::optional<ScriptFlags> ParseScriptFlags(std::string_view names);

/** "P2SH,STRICTENC", lowest bit first; "NONE" for no flags. Unnamed bits are
 *  printed as a hexadecimal remainder so that nothing is silently dropped. */
std::string FormatScriptFlags(ScriptFlags flags);

/** WITNESS needs P2SH, and CLEANSTACK needs both: without them a later
 *  addition of P2SH or WITNESS would loosen the rules, which a soft fork
 *  cannot do. VerifyScript must only be called with valid combinations. */
constexpr bool IsValidFlagCombination(ScriptFlags flags)
{
    if ((flags & SCRIPT_VERIFY_CLEANSTACK) && (~flags & (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS))) return false;
    if ((flags & SCRIPT_VERIFY_WITNESS) && (~flags & SCRIPT_VERIFY_P2SH)) return false;
    return true;
}

} // namespace cairn

#endif
