// Transactions and blocks written straight to JSON text with JsonWriter:
// byte for byte what UniValue::write() gives for the trees of tx_json.h
// (TxToJSON, ScriptPubKeyToJSON), several times faster. getblock uses it at
// verbosity 2 and 3, where a 1 MB block becomes megabytes of JSON; the tree
// builders stay for everything that inspects or edits the result.
#ifndef CAIRN_RPC_TX_JSON_WRITER_H
#define CAIRN_RPC_TX_JSON_WRITER_H

#include "primitives/block.h"
#include "rpc/json_writer.h"
#include "rpc/tx_json.h"
#include "storage/undo.h"

#include <univalue.h>

#include <string>

namespace cairn {

/** ScriptPubKeyToJSON(script, chain, true, true), as text. */
void WriteScriptPubKeyJson(JsonWriter& w, const Script& script, ChainType chain);

/** TxToJSON(tx, chain, options), as text. */
void WriteTxJson(JsonWriter& w, const Transaction& tx, ChainType chain, const TxJsonOptions& options = {});

/**
 * getblock's object at verbosity 2 or 3: the members of `header` (the
 * block header fields and sizes, in order) followed by "tx", every
 * transaction as WriteTxJson writes it. `undo` (null when not available)
 * gives each non-coinbase transaction its spent coins.
 */
std::string BlockToJsonText(const UniValue& header, const Block& block, const BlockUndo* undo,
                            TxVerbosity verbosity, ChainType chain);

} // namespace cairn

#endif
