// The options of cairn-cli: Bitcoin Core's bitcoin-cli option set, so that
// scripts written for bitcoin-cli (and its config files) work unchanged.
#ifndef CAIRN_CLI_OPTIONS_H
#define CAIRN_CLI_OPTIONS_H

#include "util/args.h"
#include "util/chaintype.h"

#include <cstdint>

namespace cairn {

/** -rpcconnect default. */
inline constexpr const char* DEFAULT_RPCCONNECT = "127.0.0.1";
/** -rpcclienttimeout default, seconds (0: wait forever). */
inline constexpr int DEFAULT_HTTP_CLIENT_TIMEOUT = 900;
/** -rpcwaittimeout default, seconds (0: wait forever). */
inline constexpr int DEFAULT_WAIT_CLIENT_TIMEOUT = 0;
/** -named default. */
inline constexpr bool DEFAULT_NAMED = false;
/** -color default. */
inline constexpr const char* DEFAULT_COLOR_SETTING = "auto";
/** -generate defaults: blocks to generate and generatetoaddress maxtries. */
inline constexpr const char* DEFAULT_NBLOCKS = "1";
inline constexpr int DEFAULT_MAX_TRIES = 1000000;

/** Registers every cairn-cli option, in Bitcoin Core's categories. */
void RegisterCliOptions(ArgsManager& args);

} // namespace cairn

#endif
