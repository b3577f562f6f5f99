// Process-wide shutdown request: set by signals and the stop RPC, waited on
// by the main thread.
#ifndef CAIRN_NODE_SHUTDOWN_H
#define CAIRN_NODE_SHUTDOWN_H

namespace cairn {

/** Installs SIGTERM/SIGINT handlers that request shutdown, and ignores SIGPIPE. */
void InstallShutdownSignalHandlers();
void RequestShutdown();
bool ShutdownRequested();
/** Blocks until RequestShutdown() was called (or a signal arrived). */
void WaitForShutdown();

} // namespace cairn

#endif
