// The node's life: parse arguments, open everything in order, run until a
// shutdown request, close everything in reverse order.
#ifndef CAIRN_NODE_INIT_H
#define CAIRN_NODE_INIT_H

namespace cairn {

/** cairnd's main: returns the process exit code. */
int AppMain(int argc, char* argv[]);

} // namespace cairn

#endif
