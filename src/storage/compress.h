// Compact encodings of coins for the chainstate and the undo files: most
// amounts are round numbers and most scripts follow one of four templates,
// so both are stored in a form much shorter than the network format. The
// encodings are Bitcoin Core's; doc/design/storage.md gives them byte by byte.
#ifndef CAIRN_STORAGE_COMPRESS_H
#define CAIRN_STORAGE_COMPRESS_H

#include "primitives/coin.h"
#include "primitives/script.h"
#include "util/serialize.h"
#include "util/varint.h"

#include <cstdint>
#include <optional>

namespace cairn {

// ---- amounts ----

/** Maps an amount to a small integer that is short as a VARINT when the
 *  amount ends in zeros: x = 0 for 0, else with n = m * 10^e (e <= 9, m not
 *  divisible by 10 unless e == 9):
 *    e < 9:  x = 1 + 10 * (9 * (m / 10) + (m % 10) - 1) + e
 *    e == 9: x = 1 + 10 * (m - 1) + 9
 *  (50 BTC = 5 * 10^9 sat -> 50; 1 sat -> 1; 0.01 BTC -> 7.) */
uint64_t CompressAmount(uint64_t n);
/** The inverse of CompressAmount. Values that no amount maps to still decode
 *  (arithmetic wraps, as in Core); range checks on amounts are consensus'. */
uint64_t DecompressAmount(uint64_t x);

// ---- scripts ----

/** Number of special script forms: VARINT codes 0..5 select one, larger
 *  codes are a plain script of (code - 6) bytes. */
inline constexpr unsigned SPECIAL_SCRIPT_FORMS = 6;

/** If `script` has one of the special forms, its short encoding: the form
 *  byte (0..5) followed by the 20 or 32 bytes that identify it:
 *    0: P2PKH  OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG  -> 00 + hash160
 *    1: P2SH   OP_HASH160 <20> OP_EQUAL                           -> 01 + hash160
 *    2,3: P2PK with a compressed key 02/03 <x>                    -> prefix + x
 *    4,5: P2PK with an uncompressed key 04 <x> <y> that is on the
 *         curve                                                   -> 04|(y&1) + x
 *  nullopt for any other script (it is then stored whole). */
std::optional<Bytes> CompressScript(const Script& script);

/** Bytes that follow the form code `form` (0..5): 20 or 32. */
inline constexpr size_t SpecialScriptSize(unsigned form) { return form < 2 ? 20 : 32; }

/** Rebuilds the script of special form `form` from its payload. Throws
 *  DeserializeError when a form 4/5 payload is not the X coordinate of a
 *  point on the curve (only corrupt data can produce that). */
Script DecompressScript(unsigned form, ByteSpan payload);

template <typename W> void SerializeCompressedScript(W& w, const Script& script)
{
    if (std::optional<Bytes> special = CompressScript(script)) {
        w.Write(*special); // the form byte is itself a one-byte VARINT (0..5)
        return;
    }
    WriteVarInt(w, uint64_t{script.size()} + SPECIAL_SCRIPT_FORMS);
    w.Write(script.span());
}

/** Reads a compressed script. A plain script's length is checked against the
 *  bytes left before anything is allocated. */
Script DeserializeCompressedScript(Reader& r);

// ---- outputs and coins ----

/** VARINT(CompressAmount(value)) then the compressed script. The value must
 *  be non-negative (a spent coin has no serialization). */
template <typename W> void SerializeCompressedTxOut(W& w, const TxOut& out)
{
    WriteVarInt(w, CompressAmount(uint64_t(out.value)));
    SerializeCompressedScript(w, out.script_pubkey);
}
TxOut DeserializeCompressedTxOut(Reader& r);

/** VARINT(height * 2 + coinbase) then the compressed output: the value of a
 *  chainstate record. Precondition: !coin.IsSpent(). */
template <typename W> void SerializeCoin(W& w, const Coin& coin)
{
    WriteVarInt(w, uint32_t(coin.height) * 2 + uint32_t(coin.coinbase));
    SerializeCompressedTxOut(w, coin.out);
}
Coin DeserializeCoin(Reader& r);

} // namespace cairn

#endif
