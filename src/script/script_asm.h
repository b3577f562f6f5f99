// Scripts as text: Bitcoin Core's "asm" form (decodescript, getrawtransaction
// verbose, ...) and its short notation for writing scripts by hand (the
// script_tests.json vectors, bitcoin-tx).
#ifndef CAIRN_SCRIPT_SCRIPT_ASM_H
#define CAIRN_SCRIPT_SCRIPT_ASM_H

#include "primitives/script.h"

#include <string>
#include <string_view>

namespace cairn {

/** "0", "-1", "1".."16", "OP_DUP", "OP_CHECKLOCKTIMEVERIFY" (for OP_NOP2),
 *  "OP_CHECKSIGADD", "OP_INVALIDOPCODE"; "OP_UNKNOWN" for unassigned
 *  opcodes and for the direct pushes 0x01..0x4b. */
std::string GetOpName(Opcode op);

/**
 * Operations separated by single spaces. Pushes of up to 4 bytes print as
 * the script number they encode (so "02eeee" is "-28398"), longer ones in
 * hex; other opcodes by GetOpName. A push running past the end prints
 * "[error]" and stops. With attempt_sighash_decode, in a script that is not
 * provably unspendable, a push that is a strict-DER signature with a defined
 * hash type prints with the type byte replaced by "[ALL]", "[NONE]",
 * "[SINGLE]", "[ALL|ANYONECANPAY]", ... (meant for scriptSigs).
 */
std::string ScriptToAsmStr(const Script& script, bool attempt_sighash_decode = false);

/**
 * Parses the short notation, words separated by spaces, tabs or newlines:
 *   a decimal integer within +-0xffffffff   -> pushed as a number (OP_0, OP_1NEGATE, OP_n or a push)
 *   0x followed by hex digits               -> those bytes inserted raw
 *   'text' (no whitespace inside)           -> the text pushed as data
 *   an opcode name, with or without "OP_"   -> that opcode (OP_RESERVED and OP_NOP..OP_NOP10;
 *                                              OP_0..OP_16 as numbers; OP_CHECKSIGADD is not
 *                                              accepted, as in Bitcoin Core)
 * Throws std::runtime_error on anything else.
 */
Script ParseScript(std::string_view s);

} // namespace cairn

#endif
