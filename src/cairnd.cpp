// cairnd: the Cairn node daemon.
#include "node/init.h"

int main(int argc, char* argv[])
{
    return cairn::AppMain(argc, argv);
}
