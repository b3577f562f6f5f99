// cairn-cli's program logic: bitcoin-cli's command line, output and exit codes.
//
// Output: a string result is printed as is, any other result as JSON with a
// 2-space indent, a null result not at all. An RPC error prints
// "error code: <code>\nerror message:\n<message>" on stderr and exits with
// abs(code) (the shell sees it modulo 256); any other failure prints
// "error: <text>" and exits with 1.
#ifndef CAIRN_CLI_MAIN_H
#define CAIRN_CLI_MAIN_H

namespace cairn {

int CliMain(int argc, char* argv[]);

} // namespace cairn

#endif
