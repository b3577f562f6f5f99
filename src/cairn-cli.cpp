// cairn-cli: the command line RPC client, a drop-in for bitcoin-cli.
#include "cli/main.h"

int main(int argc, char* argv[])
{
    return cairn::CliMain(argc, argv);
}
