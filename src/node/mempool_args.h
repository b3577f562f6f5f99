// The mempool's arguments (-maxmempool, -mempoolexpiry, -minrelaytxfee,
// -incrementalrelayfee, -dustrelayfee, -datacarrier, -datacarriersize,
// -permitbaremultisig, -acceptnonstdtxn, -bytespersigop, -limitancestor*,
// -limitdescendant*, -persistmempool, -persistmempoolv1) into
// MempoolOptions, with Bitcoin Core's start-up errors.
#ifndef CAIRN_NODE_MEMPOOL_ARGS_H
#define CAIRN_NODE_MEMPOOL_ARGS_H

#include "consensus/chain_params.h"
#include "mempool/tx_mempool.h"
#include "util/args.h"

#include <cstdint>
#include <string>

namespace cairn {

/** Default for -persistmempool. */
inline constexpr bool DEFAULT_PERSIST_MEMPOOL{true};
/** Default for -persistmempoolv1. */
inline constexpr bool DEFAULT_PERSIST_V1_DAT{false};

/** Fills `opts` from the arguments. False with Core's message on a bad
 *  value: "Invalid amount for -minrelaytxfee=<amount>: 'x'" (and the same
 *  for -incrementalrelayfee, -dustrelayfee), "acceptnonstdtxn is not
 *  currently supported for main chain", "-maxmempool must be at least 5 MB". */
bool ApplyArgsToMempoolOptions(const ArgsManager& args, const ChainParams& params, MempoolOptions& opts,
                               std::string& error);

/** -checkmempool: check the pool's consistency once every N changes (0:
 *  never; default 1 on regtest). */
int64_t MempoolCheckRatio(const ArgsManager& args, const ChainParams& params);

} // namespace cairn

#endif
