// The registry of cairnd's options: every option of Bitcoin Core's bitcoind
// (v28 to v30, -help and -help-debug), so that any bitcoin.conf and any
// command line written for bitcoind is accepted by cairnd.
//
// Options Cairn does not implement yet are registered with
// ArgsManager::NOT_IMPLEMENTED: they are accepted, shown in -help with a
// note, and logged once at start-up when set; they are never an error.
#ifndef CAIRN_NODE_OPTIONS_H
#define CAIRN_NODE_OPTIONS_H

#include "util/args.h"

namespace cairn {

/** Default -pid file name, the same as bitcoind's (relative to the network datadir). */
inline constexpr const char* DEFAULT_PID_FILENAME = "bitcoind.pid";
/** Default -debuglogfile (relative to the network datadir). */
inline constexpr const char* DEFAULT_DEBUGLOGFILE = "debug.log";

/** Registers every cairnd option, with help text and Core's defaults. */
void RegisterNodeOptions(ArgsManager& args);

} // namespace cairn

#endif
