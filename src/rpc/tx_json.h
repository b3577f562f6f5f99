// Transactions, scripts and block headers as JSON, in Bitcoin Core's shapes
// (its TxToUniv, ScriptToUniv and blockheaderToJSON): shared by getblock,
// getrawtransaction, decoderawtransaction, decodescript and the wallet.
// Field names and their order are what clients parse, so they follow Core
// exactly.
#ifndef CAIRN_RPC_TX_JSON_H
#define CAIRN_RPC_TX_JSON_H

#include "consensus/block_index.h"
#include "primitives/coin.h"
#include "primitives/transaction.h"
#include "rpc/util.h"
#include "util/chaintype.h"

#include <univalue.h>

#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** How much of each transaction TxToJSON shows (Core's TxVerbosity). */
enum class TxVerbosity {
    SHOW_DETAILS,             //!< the decoded transaction; with undo data also "fee"
    SHOW_DETAILS_AND_PREVOUT, //!< and, with undo data, each input's "prevout"
};

struct TxJsonOptions {
    /** The coins the transaction spent, in input order (from the block's undo
     *  data); null when unknown or for a coinbase. With them come "fee" and,
     *  for SHOW_DETAILS_AND_PREVOUT, each input's "prevout". */
    const std::vector<Coin>* spent{nullptr};
    TxVerbosity verbosity{TxVerbosity::SHOW_DETAILS};
    /** Appends "hex" (the serialization with witnesses). */
    bool include_hex{true};
};

/**
 * A scriptPubKey as {asm, desc, hex, address, type}: "desc" and "address"
 * only with include_address ("address" only when one exists, and never for
 * bare P2PK), "hex" only with include_hex.
 */
UniValue ScriptPubKeyToJSON(const Script& script, ChainType chain, bool include_hex = true,
                            bool include_address = true);

/** The hex of a transaction serialized with its witnesses. */
std::string EncodeHexTx(const Transaction& tx);

/**
 * {txid, hash, version, size, vsize, weight, locktime, vin, vout, [fee],
 * [hex]}. Inputs show the coinbase data or txid/vout/scriptSig (asm with
 * signature hash types decoded, e.g. "...[ALL]"), then any witness, then the
 * prevout when asked for, then the sequence.
 */
UniValue TxToJSON(const Transaction& tx, ChainType chain, const TxJsonOptions& options = {});

/** "nonstandard, anchor, pubkey, ..." : every output type name, for help texts. */
std::string GetAllOutputTypes();

/** The help of a ScriptPubKeyToJSON object. */
std::vector<RpcResult> ScriptPubKeyDoc();

/** The help of a TxToJSON object's common members (txid ... vout), with
 *  `txid_field_doc` as the description of "txid". */
std::vector<RpcResult> DecodeTxDoc(const std::string& txid_field_doc);

/** Bitcoin Core's difficulty: the difficulty-1 target over the block's target. */
double GetDifficulty(uint32_t bits);

/** A double as Core's UniValue prints it (16 significant digits). */
UniValue DoubleValue(double v);

/**
 * {hash, confirmations, height, version, versionHex, merkleroot, time,
 * mediantime, nonce, bits, target, difficulty, chainwork, nTx,
 * [previousblockhash], [nextblockhash]} for `index`, relative to the active
 * chain whose tip is `tip` (confirmations -1 off the active chain). Caller
 * holds the chainstate lock.
 */
UniValue BlockHeaderToJSON(const BlockIndex& tip, const BlockIndex& index);

/**
 * Parses a hex transaction as Core's DecodeHexTx does: tries the extended
 * (witness) form and the legacy form as allowed, keeps only parses that
 * consume every byte, and when both succeed prefers the one whose scripts
 * look sane (valid opcodes, at most 10,000 bytes), the extended one on a tie.
 */
bool DecodeHexTx(MutableTransaction& tx, std::string_view hex, bool try_no_witness = true,
                 bool try_witness = true);

/** A verbosity argument: null gives the default, a bool 0 or 1 (when
 *  allowed), else an integer (RPC_TYPE_ERROR otherwise, as Core). */
int ParseVerbosity(const UniValue& arg, int default_verbosity, bool allow_bool);

} // namespace cairn

#endif
