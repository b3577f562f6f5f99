// Arguments (-dbcache, -par, -assumevalid, -testactivationheight, ...) into
// the plain option structs the engine and the chain parameters take.
#ifndef CAIRN_NODE_CHAINSTATE_ARGS_H
#define CAIRN_NODE_CHAINSTATE_ARGS_H

#include "consensus/chain_params.h"
#include "util/args.h"
#include "validation/options.h"

#include <string>

namespace cairn {

/** -signetchallenge, -signetseednode, -testactivationheight, -vbparams. */
bool ApplyArgsToChainParamsOptions(const ArgsManager& args, ChainType chain, ChainParamsOptions& opts,
                                   std::string& error);

/** -dbcache, -par, -assumevalid, -minimumchainwork, -reindex*, -prune,
 *  -stopatheight, -maxsigcachesize. */
bool ApplyArgsToChainstateOptions(const ArgsManager& args, ChainstateOptions& opts, std::string& error);

} // namespace cairn

#endif
