// BIP 30's two historical exceptions on mainnet: blocks 91842 and 91880 repeat
// the coinbase transactions of blocks 91812 and 91722, from before BIP 30 made
// a repeated txid invalid. Validation and the statistics RPCs both need them.
#ifndef CAIRN_CONSENSUS_BIP30_H
#define CAIRN_CONSENSUS_BIP30_H

#include "consensus/block_index.h"

namespace cairn {

/** The two blocks whose coinbase repeats an earlier one's; it may overwrite
 *  (and adds nothing to the UTXO set). */
bool IsBIP30Repeat(const BlockIndex& b);

/** The blocks whose coinbase those two overwrote: when disconnecting them the
 *  coinbase outputs are not expected to be there. */
bool IsBIP30Unspendable(const BlockIndex& b);

} // namespace cairn

#endif
